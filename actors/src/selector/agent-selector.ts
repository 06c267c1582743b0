import type { AgentProfile } from '../domain/agent-profile';
import type { AgentId } from '../domain/ids';
import type { AgentHistory } from '../ports/history-port';
import { agentIndex } from './agent-index';
import { clauseEvidence, combineClauses, type Evidence, type Hit, saturate } from './clause-evidence';
import { splitClauses } from './split-clauses';

/** What the selector knows besides the task: past outcomes and current load, both optional. */
export interface SelectionContext {
  history?: ReadonlyMap<string, AgentHistory>;
  /** In-flight calls per agent id. */
  load?: ReadonlyMap<string, number>;
}

/** The four parts of an agent's score; `score` is their sum. */
export interface ScoreParts {
  capability: number;
  history: number;
  load: number;
  cost: number;
}

/** One agent's place in the ranking, with the words that earned it and a sentence saying why. */
export interface RankedAgent {
  agent: AgentId;
  score: number;
  parts: ScoreParts;
  matched: string[];
  why: string;
}

/** One job of a compound task, the agent that fits it best, and that agent's score on it alone. */
export interface TaskClause {
  text: string;
  agent: AgentId;
  score: number;
}

/** The ranking of every agent for a task and the agents it needs, the primary one first. */
export interface Selection {
  task: string;
  ranking: RankedAgent[];
  chosen: AgentId[];
  clauses: TaskClause[];
}

/** Raw relevance from which a clause's job is clear enough to bring its own agent. */
const STRONG_EVIDENCE = 1.8;
/** Beta(2, 2) prior: an agent without history scores exactly neutral. */
const PRIOR = 2;
const HISTORY_WEIGHT = 0.2;
const LOAD_STEP = 0.03;
const LOAD_CAP = 5;
const COST_WEIGHT = 0.05;

const signed = (x: number): string => `${x < 0 ? '-' : '+'}${Math.abs(x).toFixed(3)}`;

/**
 * The agent's smoothed success: on the capability this task needs of it when there is history for
 * that capability, else over all its work; discussions it prevailed in count as successes.
 */
function historyPart(h: AgentHistory | undefined, capability: string | undefined): { value: number; why: string } {
  const specific = capability ? h?.byCapability?.[capability] : undefined;
  const own = specific && specific.trials > 0 ? specific : h;
  const trials = Math.max(0, own?.trials ?? 0) + Math.max(0, h?.discussions ?? 0);
  if (!h || !own || trials === 0) return { value: 0, why: 'history neutral, no recorded runs (+0.000)' };
  const wins =
    Math.min(Math.max(0, own.successes), Math.max(0, own.trials)) +
    Math.min(Math.max(0, h.prevailed ?? 0), Math.max(0, h.discussions ?? 0));
  const rate = (wins + PRIOR) / (trials + 2 * PRIOR);
  const value = HISTORY_WEIGHT * (rate - 0.5);
  const on = own === specific ? ` on ${capability}` : '';
  return {
    value,
    why: `history${on} ${wins}/${trials} successes, smoothed to ${rate.toFixed(2)} (${signed(value)})`,
  };
}

function loadPart(inFlight: number | undefined): { value: number; why: string } {
  const calls = Math.max(0, inFlight ?? 0);
  if (calls === 0) return { value: 0, why: 'load idle (+0.000)' };
  const value = -LOAD_STEP * Math.min(calls, LOAD_CAP);
  return { value, why: `load ${calls} call${calls === 1 ? '' : 's'} in flight (${signed(value)})` };
}

function capabilityWhy(capability: number, hits: readonly Hit[], compound: boolean): string {
  if (hits.length === 0) return 'capability 0.00: no word of its profile appears in the task';
  const words = hits
    .slice(0, 6)
    .map((h) => `"${h.keyword}" (${h.capability})`)
    .join(', ');
  const more = hits.length > 6 ? ` and ${hits.length - 6} more` : '';
  const note = compound ? ' (compound task: jobs after the lead one count half)' : '';
  return `capability ${capability.toFixed(2)} from ${words}${more}${note}`;
}

type Ranked = RankedAgent & { order: number };

function rank(agents: readonly AgentProfile[], evidence: Evidence, ctx: SelectionContext, compound: boolean): Ranked[] {
  const ranked = agents.map((agent, order): Ranked => {
    const hits = [...(evidence.hits[order]?.values() ?? [])].sort((x, y) => y.points - x.points);
    const capability = saturate(evidence.raw[order] ?? 0);
    const history = historyPart(ctx.history?.get(agent.id), hits[0]?.capability);
    const load = loadPart(ctx.load?.get(agent.id));
    const cost = -COST_WEIGHT * agent.costClass;
    const costWhy = `cost class ${agent.costClass}, cheaper preferred (${signed(cost)})`;
    const capabilityText = capabilityWhy(capability, hits, compound);
    return {
      agent: agent.id,
      score: capability + history.value + load.value + cost,
      parts: { capability, history: history.value, load: load.value, cost },
      matched: hits.map((h) => h.keyword),
      why: [capabilityText, history.why, load.why, costWhy].join('; '),
      order,
    };
  });
  return ranked.sort((x, y) => y.score - x.score || x.order - y.order);
}

/** The capability of `agent` that `text` calls on most, if any: what a step's work was, for history. */
export function capabilityFor(text: string, agent: AgentProfile): string | undefined {
  const hits = [...(clauseEvidence(agentIndex([agent]), text).hits[0]?.values() ?? [])];
  return hits.sort((x, y) => y.points - x.points)[0]?.capability;
}

/**
 * Ranks every agent for a task by capability match, smoothed history, load and cost, and picks the
 * agents the task needs: one per clear job in a compound task, the primary one first.
 */
export function selectAgents(task: string, agents: readonly AgentProfile[], ctx: SelectionContext = {}): Selection {
  if (agents.length === 0) return { task, ranking: [], chosen: [], clauses: [] };
  const index = agentIndex(agents);
  const texts = splitClauses(task);
  const evidence = texts.map((text) => clauseEvidence(index, text));
  const compound = texts.length > 1;
  const ranked = rank(agents, combineClauses(agents.length, evidence), ctx, compound);
  const chosen: AgentId[] = [(ranked[0] as Ranked).agent];
  const clauses = texts.map((text, i): TaskClause => {
    const clause = evidence[i] as Evidence;
    const best = (compound ? rank(agents, clause, ctx, false)[0] : ranked[0]) as Ranked;
    const strong = !clause.setting && (clause.raw[best.order] ?? 0) >= STRONG_EVIDENCE;
    if (strong && !chosen.includes(best.agent)) chosen.push(best.agent);
    return { text, agent: best.agent, score: best.score };
  });
  const ranking = ranked.map(({ order: _order, ...agent }) => agent);
  return { task, ranking, chosen, clauses };
}
