import { ACTION_VERBS } from './action-verbs';
import type { AgentIndex, Posting } from './agent-index';
import { type ClauseForm, clauseForm } from './clause-form';
import { stem, type Token, tokenizeSequence } from './tokenize';

/** The verb that opens a job ("deploy ...", "profile ...") says most about who should do it. */
const LEAD_BOOST = 1.5;
/** A keyword this heavy names an agent's core job. */
const CORE_WEIGHT = 0.9;
/** The thing a generic verb makes names the job from this weight on ("add a *Dockerfile*"). */
const ARTIFACT_WEIGHT = 0.6;
/** How much the rest of a clause counts for agents other than the one its job word names. */
const OTHER_JOB_DISCOUNT = 0.5;
/** A phrase is worth more than one word: `0.6 + 0.4 * words` times a word of the same weight. */
const PHRASE_BASE = 0.6;
const PHRASE_PER_WORD = 0.4;
/** Relevance that saturates: `1 - exp(-raw / CAPABILITY_SCALE)`. */
const CAPABILITY_SCALE = 3;
/** Raw relevance from which a clause counts as the task's lead job. */
const LEAD_EVIDENCE = 1.5;
/** Jobs after the lead one still count for the ranking, but less. */
const LATER_CLAUSE_WEIGHT = 0.5;
/**
 * The word that stands for a clause reporting something going wrong ("the export produces an
 * empty file"); a profile lists it among its keywords to take such reports.
 */
export const REPORT_CUE = 'malfunction';
const REPORT_STEM = stem(REPORT_CUE);

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
  /** The clause only sets the scene for the next one ("when the build passes, ..."). */
  setting?: boolean;
}

function emptyEvidence(n: number): Evidence {
  return { raw: new Array<number>(n).fill(0), hits: Array.from({ length: n }, () => new Map()) };
}

function addHit(evidence: Evidence, agent: number, hit: Hit): void {
  const hits = evidence.hits[agent] as Map<string, Hit>;
  const seen = hits.get(hit.keyword);
  if (!seen || seen.points < hit.points) hits.set(hit.keyword, hit);
}

/** Stop words may sit inside a phrase ("track it down"); up to this many in a row. */
const MAX_GAP = 2;

/** Counts are no topic either: "takes *8* seconds" still reads as "takes seconds". */
const NUMBER = /^(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple)$/;
const isGap = (token: Token | undefined): boolean => !!token && (token.stop || NUMBER.test(token.word));

/**
 * Whether the phrase's stems occur from `start` on, in order, past short gaps of stop words and
 * counts, and past the parts that follow a camel-case word (`GitHub` is followed by `git`, `hub`).
 */
function matchesPhrase(tokens: readonly Token[], start: number, stems: readonly string[]): boolean {
  let at = start;
  for (const [k, want] of stems.entries()) {
    let gap = 0;
    while (k > 0 && tokens[at]?.part && tokens[at]?.stem !== want) at++;
    while (k > 0 && tokens[at]?.stem !== want && isGap(tokens[at]) && gap < MAX_GAP) {
      at++;
      gap++;
    }
    if (tokens[at]?.stem !== want) return false;
    at++;
  }
  return true;
}

/**
 * Agents whose core job word or phrase opens the clause ("document ...", "look up ..."), or whose
 * thing a generic verb makes ("write a *Dockerfile*"): the rest of the clause is then what that
 * job is done to, so it counts less for everyone else.
 */
function jobOwners(index: AgentIndex, tokens: readonly Token[], form: ClauseForm): Set<number> {
  const owners = new Set<number>();
  for (const i of form.head) {
    const token = tokens[i];
    if (!token) continue;
    const least = i === form.object ? ARTIFACT_WEIGHT : CORE_WEIGHT;
    for (const p of index.terms.get(token.stem) ?? []) {
      if (p.weight >= least && p.capability !== 'description') owners.add(p.agent);
    }
    for (const p of index.phrases.get(token.stem) ?? []) {
      if (p.weight >= CORE_WEIGHT && matchesPhrase(tokens, i, p.stems)) owners.add(p.agent);
    }
  }
  return owners;
}

/**
 * Lexical relevance of one clause to every agent: weighted keyword and phrase hits, BM25-style,
 * read in the light of the clause's form (an order names its job up front; a report tells a story).
 */
export function clauseEvidence(index: AgentIndex, text: string): Evidence {
  const tokens = tokenizeSequence(text);
  const form = clauseForm(tokens, text);
  const owners = jobOwners(index, tokens, form);
  const reportAgents = new Set((index.terms.get(REPORT_STEM) ?? []).map((p) => p.agent));
  const evidence = emptyEvidence(index.agents.length);
  tokens.forEach((token, i) => {
    // In a bug story, what it mentions (a button, Safari) and what someone did in it ("when I
    // *click* Save") are its setting, not the job; only the agents' core complaints keep weight.
    const event = form.report && (ACTION_VERBS.has(token.word) || ACTION_VERBS.has(token.stem));
    const factor = (p: Posting, phrase: boolean): number => {
      if (form.head.has(i)) return LEAD_BOOST;
      if (owners.size > 0 && !owners.has(p.agent)) return i === form.verb ? 0 : OTHER_JOB_DISCOUNT;
      if (!form.report || reportAgents.has(p.agent)) return 1;
      return p.weight < CORE_WEIGHT || (event && !phrase) ? OTHER_JOB_DISCOUNT : 1;
    };
    for (const p of index.terms.get(token.stem) ?? []) {
      if (token.stop && p.capability === 'description') continue;
      addHit(evidence, p.agent, { ...p, points: p.weight * p.idf * factor(p, false) });
    }
    for (const p of index.phrases.get(token.stem) ?? []) {
      if (!matchesPhrase(tokens, i, p.stems)) continue;
      const size = PHRASE_BASE + PHRASE_PER_WORD * p.stems.length;
      addHit(evidence, p.agent, { ...p, points: p.weight * p.idf * size * factor(p, true) });
    }
  });
  const sums = evidence.hits.map((hits) => [...hits.values()].reduce((sum, hit) => sum + hit.points, 0));
  // A story of something going wrong weighs as much as the cue word for the agents that claim it,
  // whether or not it uses their symptom words: those fill the same need instead of adding to it.
  if (form.report) {
    for (const p of index.terms.get(REPORT_STEM) ?? []) {
      const lift = p.weight * p.idf - (sums[p.agent] ?? 0);
      if (lift <= 0) continue;
      addHit(evidence, p.agent, { ...p, points: lift });
      sums[p.agent] = p.weight * p.idf;
    }
  }
  sums.forEach((sum, a) => {
    evidence.raw[a] = sum / (index.lengthNorm[a] ?? 1);
  });
  return form.setting ? { ...evidence, setting: true } : evidence;
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
    const weight = leadSeen || clause.setting ? LATER_CLAUSE_WEIGHT : 1;
    if (!clause.setting && Math.max(...clause.raw) >= LEAD_EVIDENCE) leadSeen = true;
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
