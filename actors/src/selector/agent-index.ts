import type { AgentProfile } from '../domain/agent-profile';
import { tokenizeSequence } from './tokenize';

/** Where a term or phrase points: which agent, how strongly, and what to show in the explanation. */
export interface Posting {
  /** Position of the agent in the indexed array. */
  agent: number;
  weight: number;
  /** Capability name, or `description` for words taken from the profile's description. */
  capability: string;
  /** The keyword as the profile spells it. */
  keyword: string;
  /** Inverse agent frequency of the term or phrase: rarer across agents means more telling. */
  idf: number;
}

/** A multi-word keyword, matched as a run of consecutive stems (stop words included). */
export interface PhrasePosting extends Posting {
  stems: readonly string[];
}

/** Everything the selector needs about one agents array, computed once and cached. */
export interface AgentIndex {
  agents: readonly AgentProfile[];
  /** Single-word keywords and description words by stem. */
  terms: ReadonlyMap<string, readonly Posting[]>;
  /** Multi-word keywords by their first stem. */
  phrases: ReadonlyMap<string, readonly PhrasePosting[]>;
  /** BM25-style length normalisation per agent: profiles with many keywords match more by chance. */
  lengthNorm: readonly number[];
}

/** Description words count, but far less than keywords chosen on purpose. */
const DESCRIPTION_WEIGHT = 0.35;
/** How much a long keyword list is discounted (BM25 `b`). */
const LENGTH_B = 0.3;

const cache = new WeakMap<readonly AgentProfile[], AgentIndex>();

/** Inverse document frequency over agents, BM25's form, always positive. */
function idfOf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

interface Draft {
  agent: number;
  weight: number;
  capability: string;
  keyword: string;
  stems: string[];
}

function draftsFor(agent: AgentProfile, index: number): Draft[] {
  const best = new Map<string, Draft>();
  const offer = (draft: Draft) => {
    const key = draft.stems.join(' ');
    const seen = best.get(key);
    if (!seen || seen.weight < draft.weight) best.set(key, draft);
  };
  for (const capability of agent.capabilities) {
    for (const keyword of capability.keywords) {
      const stems = tokenizeSequence(keyword).map((t) => t.stem);
      if (stems.length === 0) continue;
      offer({ agent: index, weight: capability.weight, capability: capability.name, keyword, stems });
    }
  }
  for (const token of tokenizeSequence(agent.description)) {
    if (token.stop || best.has(token.stem)) continue;
    offer({
      agent: index,
      weight: DESCRIPTION_WEIGHT,
      capability: 'description',
      keyword: token.word,
      stems: [token.stem],
    });
  }
  return [...best.values()];
}

function buildIndex(agents: readonly AgentProfile[]): AgentIndex {
  const drafts = agents.map(draftsFor);
  const df = new Map<string, number>();
  for (const list of drafts) {
    for (const key of new Set(list.map((d) => d.stems.join(' ')))) {
      df.set(key, (df.get(key) ?? 0) + 1);
    }
  }
  const n = Math.max(agents.length, 1);
  const terms = new Map<string, Posting[]>();
  const phrases = new Map<string, PhrasePosting[]>();
  for (const draft of drafts.flat()) {
    const key = draft.stems.join(' ');
    const idf = idfOf(df.get(key) ?? 1, n);
    const posting = { ...draft, idf };
    const first = draft.stems[0] as string;
    if (draft.stems.length === 1) terms.set(key, [...(terms.get(key) ?? []), posting]);
    else phrases.set(first, [...(phrases.get(first) ?? []), posting]);
  }
  const sizes = drafts.map((list) => list.filter((d) => d.capability !== 'description').length);
  const mean = sizes.reduce((a, b) => a + b, 0) / Math.max(sizes.length, 1) || 1;
  const lengthNorm = sizes.map((size) => 1 - LENGTH_B + (LENGTH_B * size) / mean);
  return { agents, terms, phrases, lengthNorm };
}

/** The index for an agents array; built on first use and kept as long as the array lives. */
export function agentIndex(agents: readonly AgentProfile[]): AgentIndex {
  let index = cache.get(agents);
  if (!index) {
    index = buildIndex(agents);
    cache.set(agents, index);
  }
  return index;
}
