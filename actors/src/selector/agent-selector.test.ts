import { describe, expect, it } from 'vitest';
import { builtinAgents } from '../agents/builtin-agents';
import { AgentProfile } from '../domain/agent-profile';
import { selectAgents } from './agent-selector';

const top = (task: string) => selectAgents(task, builtinAgents).chosen[0];

const custom = (id: string, keywords: string[], costClass = 0.2): AgentProfile =>
  AgentProfile.parse({
    id,
    name: id,
    description: `custom agent ${id}`,
    capabilities: [{ name: 'job', weight: 1, keywords }],
    systemPrompt: `You are ${id}.`,
    costClass,
  });

describe('selectAgents', () => {
  it.each([
    ['Write a Rust function that parses ISO week dates', 'code-generator'],
    ['The upload page throws a TypeError after the last release', 'debugger'],
    ['Add unit tests with mocks for the mailer service', 'tester'],
    ['Write a getting started guide for the CLI', 'documenter'],
    ['Roll out the new build to production behind a canary', 'deployer'],
    ['Take a screenshot of our landing page on the live website', 'browser'],
    ['Check the signup form for CSRF and XSS vulnerabilities', 'security'],
    ['Should we use GraphQL or REST for the public API? Weigh the trade-offs', 'architect'],
    ['The search results page is slow, profile it and cut the latency', 'performance'],
  ])('sends "%s" to %s', (task, agent) => {
    expect(top(task)).toBe(agent);
  });

  it.each([
    ['The export button produces an empty file', 'debugger'],
    ['Users in Australia see yesterday’s date on the dashboard', 'debugger'],
    ['When I click Save on the profile page nothing happens', 'debugger'],
    ['The CLI prints the help text twice when you pass --verbose', 'debugger'],
  ])('sends the bug story "%s" to %s, whatever it mentions', (task, agent) => {
    expect(top(task)).toBe(agent);
  });

  it('says when a bug story without symptom words earned the report cue', () => {
    const [best] = selectAgents('The cron job stopped sending the weekly digest emails', builtinAgents).ranking;
    expect(best?.agent).toBe('debugger');
    expect(best?.why).toMatch(/"malfunction" \(diagnosis\)/);
  });

  it('keeps a story about speed or access with the agent its complaint names', () => {
    expect(top('Since the last release the search page is really slow')).toBe('performance');
    expect(top('Someone can view other users’ invoices just by changing the ID in the URL')).toBe('security');
  });

  it('lets the job verb outweigh the nouns it works on', () => {
    expect(top('Scrape the public API docs for the rate limits')).toBe('browser');
    expect(top('Look up the rate limits on GitHub’s REST API docs page')).toBe('browser');
  });

  it('lets the thing a generic verb makes name the job ("write a Dockerfile")', () => {
    expect(top('Write a Dockerfile for the worker')).toBe('deployer');
  });

  it('does not let a condition that opens the task lead it', () => {
    expect(selectAgents('If the tests pass, ship it', builtinAgents).chosen).toEqual(['deployer']);
  });

  it('ranks every agent, best first, with an explanation of each part of the score', () => {
    const { ranking } = selectAgents('Deploy the API to Kubernetes', builtinAgents);
    expect(ranking.map((r) => r.agent).sort()).toEqual(builtinAgents.map((a) => a.id).sort());
    expect(ranking.map((r) => r.score)).toEqual([...ranking.map((r) => r.score)].sort((a, b) => b - a));
    const best = ranking[0];
    expect(best?.agent).toBe('deployer');
    expect(best?.matched).toContain('deploy');
    expect(best?.why).toMatch(/capability 0\.\d\d from "deploy" \(delivery\)/);
    expect(best?.why).toMatch(/history neutral/);
    expect(best?.why).toMatch(/load idle/);
    expect(best?.why).toMatch(/cost class 0\.2/);
  });

  it('is deterministic and independent of the array identity', () => {
    const task = 'Fix the crash when saving a draft and add a regression test';
    const first = selectAgents(task, builtinAgents);
    expect(selectAgents(task, builtinAgents)).toEqual(first);
    expect(selectAgents(task, [...builtinAgents])).toEqual(first);
  });

  it('chooses one agent for a simple task', () => {
    const selection = selectAgents('Write a README for the billing package', builtinAgents);
    expect(selection.chosen).toEqual(['documenter']);
    expect(selection.clauses).toHaveLength(1);
  });

  it('chooses one agent per clear job of a compound task, primary first, clauses in order', () => {
    const selection = selectAgents('Implement the CSV importer, test it and deploy it to staging', builtinAgents);
    expect(selection.chosen).toEqual(['code-generator', 'tester', 'deployer']);
    expect(selection.clauses.map((c) => [c.text, c.agent])).toEqual([
      ['Implement the CSV importer', 'code-generator'],
      ['test it', 'tester'],
      ['deploy it to staging', 'deployer'],
    ]);
  });

  it('leads with the first job even when a later one has more words for it', () => {
    const selection = selectAgents(
      'Add an export feature, then write unit tests with mocks and fixtures for it',
      builtinAgents,
    );
    expect(selection.chosen).toEqual(['code-generator', 'tester']);
    expect(selection.ranking[0]?.why).toMatch(/compound task/);
  });

  it('keeps a clause without clear evidence from adding an agent', () => {
    const selection = selectAgents('Fix the crash on logout and tell me what you changed', builtinAgents);
    expect(selection.chosen).toEqual(['debugger']);
  });

  it('matches phrases across short stop-word gaps ("track it down")', () => {
    const { ranking } = selectAgents('Something hangs, please track it down', builtinAgents);
    expect(ranking[0]?.matched).toContain('track down');
  });

  it('matches phrases past camel-case parts and counts ("GitHub Action", "takes 8 seconds")', () => {
    const action = selectAgents('Create a GitHub Action that runs the linter', builtinAgents).ranking[0];
    expect(action?.matched).toContain('github actions');
    const slow = selectAgents('The dashboard takes 8 seconds to load', builtinAgents).ranking[0];
    expect(slow?.matched).toContain('takes seconds');
  });

  it('treats no history as neutral and smooths a short record toward it', () => {
    const task = 'Optimise the slow report query';
    const none = selectAgents(task, builtinAgents).ranking.find((r) => r.agent === 'performance');
    const history = (successes: number, trials: number) =>
      selectAgents(task, builtinAgents, {
        history: new Map([['performance', { successes, trials }]]),
      }).ranking.find((r) => r.agent === 'performance');
    expect(none?.parts.history).toBe(0);
    expect(history(1, 1)?.parts.history).toBeGreaterThan(0);
    expect(history(10, 10)?.parts.history).toBeGreaterThan(history(1, 1)?.parts.history ?? 1);
    expect(history(0, 10)?.parts.history).toBeLessThan(0);
    expect(history(1, 1)?.why).toMatch(/history 1\/1 successes, smoothed to 0\.60/);
  });

  it('lowers the score of a busy agent and says so', () => {
    const busy = selectAgents('Debug the crash', builtinAgents, { load: new Map([['debugger', 3]]) });
    const entry = busy.ranking.find((r) => r.agent === 'debugger');
    expect(entry?.parts.load).toBeCloseTo(-0.09);
    expect(entry?.why).toMatch(/load 3 calls in flight \(-0\.090\)/);
  });

  it('breaks a tie of capability with load, then cost', () => {
    const agents = [custom('pricey-linter', ['lint'], 0.9), custom('cheap-linter', ['lint'], 0.1)];
    expect(selectAgents('lint the repo', agents).chosen).toEqual(['cheap-linter']);
    const loaded = selectAgents('lint the repo', agents, { load: new Map([['cheap-linter', 4]]) });
    expect(loaded.chosen).toEqual(['pricey-linter']);
  });

  it('works with custom agents and their own vocabulary', () => {
    const agents = [custom('translator', ['translate', 'french', 'german']), custom('poet', ['poem', 'haiku'])];
    expect(selectAgents('Translate the onboarding email into German', agents).chosen).toEqual(['translator']);
    expect(selectAgents('Write a haiku about autumn', agents).chosen).toEqual(['poet']);
  });

  it('still names one agent when no word of any profile matches', () => {
    const selection = selectAgents('hello there', builtinAgents);
    expect(selection.chosen).toHaveLength(1);
    expect(selection.ranking.every((r) => r.parts.capability === 0)).toBe(true);
    expect(selection.ranking[0]?.why).toMatch(/no word of its profile appears/);
  });

  it('returns an empty selection for an empty agent list', () => {
    expect(selectAgents('anything', [])).toEqual({ task: 'anything', ranking: [], chosen: [], clauses: [] });
  });
});
