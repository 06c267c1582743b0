import { describe, expect, it } from 'vitest';
import { ModelAnswer } from '../domain/agent-answer';
import { decisionOptions } from './decision-options';
import { createOfflineModel, offlineAnswer, offlineModelRef } from './offline-model';

const request = (agent: string, prompt: string, onToken?: (d: string) => void) => ({
  model: offlineModelRef,
  agent,
  system: 'sys',
  prompt,
  jsonSchema: {},
  signal: new AbortController().signal,
  ...(onToken ? { onToken } : {}),
});

describe('decisionOptions', () => {
  it.each([
    ['Should we store sessions in Postgres or Redis?', ['postgres', 'redis']],
    [
      'Should notifications use WebSockets, server-sent events or polling?',
      ['websockets', 'server-sent events', 'polling'],
    ],
    ['Postgres vs MongoDB for audit logs', ['postgres', 'mongodb']],
    ['Compare REST, GraphQL and gRPC for the public API', ['rest', 'graphql', 'grpc']],
    ['Should the API be written in Go or Rust?', ['go', 'rust']],
  ])('reads the options of "%s"', (text, options) => {
    expect(decisionOptions(text)).toEqual(options);
  });

  it.each(['Write a function that slugifies titles', 'Should we add caching and deploy it', 'Fix the bug and test it'])(
    'finds no choice in "%s"',
    (text) => {
      expect(decisionOptions(text)).toEqual([]);
    },
  );
});

describe('offline model', () => {
  it('answers schema-valid JSON, streamed in pieces that add up to the reply', async () => {
    const pieces: string[] = [];
    const reply = await createOfflineModel().complete(request('tester', 'Task: test the cart', (d) => pieces.push(d)));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(reply.text);
    const answer = ModelAnswer.parse(JSON.parse(reply.text));
    expect(answer).toMatchObject({ position: 'pass', flag: 'none' });
    expect(answer.answer).toMatch(/^\[offline model\]/);
    expect(reply.tokensOut).toBeGreaterThan(0);
  });

  it('is deterministic: the same request gets the same answer', () => {
    const prompt = 'Task: Should we use Kafka or NATS?\nYour step (s): Should we use Kafka or NATS?';
    expect(offlineAnswer('architect', prompt)).toEqual(offlineAnswer('architect', prompt));
  });

  it('lets agents with different lenses disagree on a decision', () => {
    const prompt =
      'Task: Should we cache sessions in Redis or Postgres?\nYour step (s): Should we cache sessions in Redis or Postgres?';
    const positions = new Set(['performance', 'security'].map((a) => offlineAnswer(a, prompt).position));
    expect(positions).toEqual(new Set(['redis', 'postgres']));
  });

  it('fails a check on a reported bug until a debugger has fixed it', () => {
    const task = 'Task: Fix the failing login bug';
    expect(offlineAnswer('tester', `${task}\nYour step (tester): test it`)).toMatchObject({
      position: 'fail',
      flag: 'failed-check',
    });
    const afterFix = `${task}\nYour step (recheck-tester): test it\n### fix-tester (debugger)\nposition: root cause found`;
    expect(offlineAnswer('tester', afterFix)).toMatchObject({ position: 'pass', flag: 'none' });
  });

  it('moves to a position two others back with more weight, and holds against a lone dissenter', () => {
    const round = (own: string, ownConf: number, others: [string, number][]) =>
      [
        'Discussion round 1.',
        'Question: q',
        `Your previous position: ${own} (confidence ${ownConf.toFixed(2)})`,
        'Your previous reasoning: r',
        'Other participants:',
        ...others.map(
          ([p, c], i) =>
            `- Participant ${String.fromCharCode(65 + i)}: position "${p}" (confidence ${c.toFixed(2)}): why`,
        ),
      ].join('\n');
    expect(
      offlineAnswer(
        'security',
        round('redis', 0.6, [
          ['postgres', 0.8],
          ['postgres', 0.7],
        ]),
      ).position,
    ).toBe('postgres');
    expect(
      offlineAnswer(
        'security',
        round('redis', 0.6, [
          ['postgres', 0.8],
          ['kafka', 0.7],
        ]),
      ).position,
    ).toBe('redis');
  });

  it('rejects an aborted call', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      createOfflineModel().complete({ ...request('tester', 'x'), signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
