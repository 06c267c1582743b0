import type { AgentIndex } from './agent-index';
import { type Token, tokenizeSequence } from './tokenize';

/** The verb that opens a job ("deploy ...", "profile ...") says most about who should do it. */
const LEAD_BOOST = 1.5;
/** A keyword this heavy names an agent's core job. */
const CORE_WEIGHT = 0.9;
/** How much the rest of a clause counts for agents other than the one its job word names. */
const OTHER_JOB_DISCOUNT = 0.7;
/** A phrase is worth more than one word: `0.6 + 0.4 * words` times a word of the same weight. */
const PHRASE_BASE = 0.6;
const PHRASE_PER_WORD = 0.4;
/** Relevance that saturates: `1 - exp(-raw / CAPABILITY_SCALE)`. */
const CAPABILITY_SCALE = 3;
/** Raw relevance from which a clause counts as the task's lead job. */
const LEAD_EVIDENCE = 1.5;
/** Jobs after the lead one still count for the ranking, but less. */
const LATER_CLAUSE_WEIGHT = 0.5;

/** One keyword of one agent found in the task, with the points it earned. */
export interface Hit {
  keyword: string;
  capability: string;
  points: number;
}

/** Raw relevance of a text to every agent (by position in the array), and the hits behind it. */
export interface Evidence {
  raw: number[];
  hits: Map<string, Hit>[];
}

function emptyEvidence(n: number): Evidence {
  return { raw: new Array<number>(n).fill(0), hits: Array.from({ length: n }, () => new Map()) };
}

function addHit(evidence: Evidence, agent: number, hit: Hit): void {
  const hits = evidence.hits[agent] as Map<string, Hit>;
  const seen = hits.get(hit.keyword);
  if (!seen || seen.points < hit.points) hits.set(hit.keyword, hit);
}

/** Verbs any agent could be asked to do; the thing they make ("add *a test*") names the job. */
const GENERIC_VERBS: ReadonlySet<string> = new Set(
  'add write create generate build produce prepare draft set put give do'.split(' '),
);
/** Words that end the object of a verb: what follows is the target or a new thought. */
const OBJECT_END: ReadonlySet<string> = new Set(
  'to for in of on from with into at about by that which who where when so and or but then as using via'.split(' '),
);

/**
 * Positions of the words that name the job: the opening verb ("deploy ...", "profile ..."), or
 * after a generic verb, its object ("write *unit tests* for ...", "add *jsdoc comments* to ...").
 */
function headOf(tokens: readonly Token[]): Set<number> {
  const lead = tokens.findIndex((t) => !t.stop);
  if (lead < 0 || !GENERIC_VERBS.has((tokens[lead] as Token).word)) return new Set([lead]);
  const head = new Set<number>();
  for (let i = lead + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (OBJECT_END.has(token.word)) break;
    if (!token.stop && token.word !== 'up') head.add(i);
  }
  return head.size > 0 ? head : new Set([lead]);
}

/**
 * Agents whose core job word opens the clause ("document ...", "scrape ..."): the rest of the
 * clause is then what that job is done to, so it counts less for everyone else.
 */
function jobOwners(index: AgentIndex, tokens: readonly Token[], head: ReadonlySet<number>): Set<number> {
  const owners = new Set<number>();
  for (const i of head) {
    const token = tokens[i];
    if (!token) continue;
    for (const p of index.terms.get(token.stem) ?? []) {
      if (p.weight >= CORE_WEIGHT && p.capability !== 'description') owners.add(p.agent);
    }
  }
  return owners;
}

/** Stop words may sit inside a phrase ("track it down"); up to this many in a row. */
const MAX_GAP = 2;

/** Whether the phrase's stems occur from `start` on, in order, with only short stop-word gaps. */
function matchesPhrase(tokens: readonly Token[], start: number, stems: readonly string[]): boolean {
  let at = start;
  for (const [k, stem] of stems.entries()) {
    let gap = 0;
    while (k > 0 && tokens[at]?.stem !== stem && tokens[at]?.stop && gap < MAX_GAP) {
      at++;
      gap++;
    }
    if (tokens[at]?.stem !== stem) return false;
    at++;
  }
  return true;
}

/** Lexical relevance of one clause to every agent: weighted keyword and phrase hits, BM25-style. */
export function clauseEvidence(index: AgentIndex, text: string): Evidence {
  const tokens = tokenizeSequence(text);
  const head = headOf(tokens);
  const owners = jobOwners(index, tokens, head);
  const evidence = emptyEvidence(index.agents.length);
  tokens.forEach((token, i) => {
    const lead = head.has(i);
    const factor = (agent: number) =>
      lead ? LEAD_BOOST : owners.size > 0 && !owners.has(agent) ? OTHER_JOB_DISCOUNT : 1;
    for (const p of index.terms.get(token.stem) ?? []) {
      if (token.stop && p.capability === 'description') continue;
      addHit(evidence, p.agent, { ...p, points: p.weight * p.idf * factor(p.agent) });
    }
    for (const p of index.phrases.get(token.stem) ?? []) {
      if (!matchesPhrase(tokens, i, p.stems)) continue;
      const size = PHRASE_BASE + PHRASE_PER_WORD * p.stems.length;
      addHit(evidence, p.agent, { ...p, points: p.weight * p.idf * size * factor(p.agent) });
    }
  });
  evidence.hits.forEach((hits, a) => {
    let sum = 0;
    for (const hit of hits.values()) sum += hit.points;
    evidence.raw[a] = sum / (index.lengthNorm[a] ?? 1);
  });
  return evidence;
}

/** Saturating relevance in [0, 1). */
export const saturate = (raw: number): number => 1 - Math.exp(-raw / CAPABILITY_SCALE);

/**
 * Capability over all clauses as a noisy-or, so one wordy clause cannot outweigh the others;
 * clauses after the first clear job count less, since the task leads with its main job.
 */
export function combineClauses(n: number, clauses: readonly Evidence[]): Evidence {
  const total = emptyEvidence(n);
  const miss = new Array<number>(n).fill(1);
  let leadSeen = false;
  for (const clause of clauses) {
    const weight = leadSeen ? LATER_CLAUSE_WEIGHT : 1;
    if (Math.max(...clause.raw) >= LEAD_EVIDENCE) leadSeen = true;
    clause.raw.forEach((raw, a) => {
      miss[a] = (miss[a] ?? 1) * (1 - weight * saturate(raw));
      for (const hit of clause.hits[a]?.values() ?? []) {
        addHit(total, a, { ...hit, points: hit.points * weight });
      }
    });
  }
  // Back to the raw scale so `rank` treats one clause and many alike.
  total.raw = miss.map((m) => -CAPABILITY_SCALE * Math.log(Math.max(m, 1e-12)));
  return total;
}
