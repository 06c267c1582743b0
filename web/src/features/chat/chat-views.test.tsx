import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ConversationFeed } from '@/lib/graphql/operations';
import { AnswerCard } from './answer-card';
import { ConflictView } from './conflict-view';
import { emptyFeed, feedReducer } from './conversation-feed';
import multiFeed from './fixtures/multi-turn.json';
import { emptyTurn, stepFromPlan } from './turn-state';
import { LiveTurn } from './turn-view';

const multi = multiFeed as unknown as ConversationFeed[];
const upTo = (type: string) => multi.slice(0, multi.findIndex((i) => i.event?.type === type) + 1);
const turnAfter = (items: ConversationFeed[]) => {
  const state = feedReducer(emptyFeed(), { type: 'items', items });
  return state.turns[state.latestRunId as string];
};
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('ConflictView', () => {
  it('shows both rounds, the vote and one button per option while it waits for a person', () => {
    const conflict = turnAfter(upTo('workflow.awaiting.human'))?.conflicts[0];
    if (!conflict) throw new Error('no conflict in the fixture');
    const html = renderToStaticMarkup(<ConflictView conflict={conflict} onDecide={() => {}} />);
    expect(count(html, 'data-testid="discussion-round"')).toBe(2);
    expect(html).toContain('Opening positions');
    expect(count(html, 'class="tally__row"')).toBe(3);
    expect(count(html, 'data-position=')).toBe(3);
    expect(html).toContain('Your call.');
  });

  it('says a round is under way while the agents revise', () => {
    const conflict = turnAfter(upTo('discussion.round.started'))?.conflicts[0];
    if (!conflict) throw new Error('no conflict in the fixture');
    const html = renderToStaticMarkup(<ConflictView conflict={conflict} />);
    expect(html).toContain('Round 1: the agents are reading');
    expect(count(html, 'data-testid="discussion-round"')).toBe(0);
  });

  it('shows who decided once it is resolved, and no buttons', () => {
    const conflict = turnAfter(multi)?.conflicts[0];
    if (!conflict) throw new Error('no conflict in the fixture');
    const html = renderToStaticMarkup(<ConflictView conflict={conflict} onDecide={() => {}} />);
    expect(html).toMatch(/You decided on.*graphql/);
    expect(html).not.toContain('data-position=');
  });
});

describe('AnswerCard', () => {
  it('shows the decoded answer while it streams', () => {
    const step = {
      ...stepFromPlan({ id: 'a', agent: 'architect', instruction: 'Pick', dependsOn: [] }),
      status: 'RUNNING' as const,
      streamed: '{"confidence":0.9,"answer":"Use \\"REST\\" for',
    };
    const html = renderToStaticMarkup(<AnswerCard step={step} conflict />);
    expect(html).toContain('Use &quot;REST&quot; for');
    expect(html).toContain('is-streaming');
    expect(html).toContain('data-conflict="true"');
  });
});

describe('LiveTurn', () => {
  it('shows each agent with its status and model while a single answer streams', () => {
    const turn = turnAfter(multi.slice(0, 1)) ?? emptyTurn('r');
    const running = {
      ...turn,
      mode: 'SINGLE' as const,
      state: 'executing',
      agents: [
        { agent: 'code-generator', phase: 'streaming' as const, model: 'offline:revo-offline', activity: 'answering' },
      ],
      steps: [
        {
          ...stepFromPlan({ id: 's', agent: 'code-generator', instruction: 'x', dependsOn: [] }),
          status: 'RUNNING' as const,
          streamed: '{"answer":"[offline model] Impl',
        },
      ],
    };
    const html = renderToStaticMarkup(<LiveTurn turn={running} />);
    expect(html).toContain('Agents at work');
    expect(html).toMatch(/data-phase="streaming"[^>]*data-agent="code-generator"/);
    expect(html).toContain('[offline model] Impl');
  });
});
