import type { Stance, VoteTally } from '../domain/conflict';

export interface VoteResult {
  tally: VoteTally[];
  winner: string | undefined;
  /** Winner's lead over the runner-up as a share of all weight, 0..1. */
  margin: number;
}

/**
 * A vote weighted by each agent's confidence and its historical accuracy (0..1, 0.5 when unknown,
 * which weighs 1). A tie or a lead thinner than `minMargin` has no winner: a person decides.
 */
export function weightedVote(
  stances: readonly Stance[],
  accuracy: Readonly<Record<string, number>>,
  minMargin: number,
): VoteResult {
  const byPosition = new Map<string, VoteTally>();
  for (const stance of stances) {
    const weight = stance.confidence * (0.5 + (accuracy[stance.agent] ?? 0.5));
    const entry = byPosition.get(stance.position) ?? { position: stance.position, weight: 0, voters: [] };
    entry.weight += weight;
    entry.voters.push(stance.agent);
    byPosition.set(stance.position, entry);
  }
  const tally = [...byPosition.values()]
    .map((t) => ({ ...t, weight: Math.round(t.weight * 1e6) / 1e6 }))
    .sort((a, b) => b.weight - a.weight || a.position.localeCompare(b.position));
  const total = tally.reduce((sum, t) => sum + t.weight, 0);
  const first = tally[0];
  const lead = first && total > 0 ? (first.weight - (tally[1]?.weight ?? 0)) / total : 0;
  return { tally, winner: first && lead >= minMargin && lead > 0 ? first.position : undefined, margin: lead };
}
