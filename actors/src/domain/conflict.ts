import { z } from 'zod';
import { AgentId, StepId } from './ids';

/** One agent's stance inside a discussion round. */
export const Stance = z.object({
  agent: AgentId,
  position: z.string(),
  confidence: z.number().min(0).max(1),
  rationale: z.string(),
  answer: z.string(),
});
export type Stance = z.infer<typeof Stance>;

export const DiscussionRound = z.object({
  round: z.number().int().nonnegative(),
  stances: z.array(Stance),
});
export type DiscussionRound = z.infer<typeof DiscussionRound>;

export const VoteTally = z.object({
  position: z.string(),
  weight: z.number(),
  voters: z.array(AgentId),
});
export type VoteTally = z.infer<typeof VoteTally>;

export const ConflictResolution = z.enum(['consensus', 'vote', 'human']);
export type ConflictResolution = z.infer<typeof ConflictResolution>;

/** A disagreement between steps that answered the same question, and how it ended. */
export const Conflict = z.object({
  id: z.string(),
  question: z.string(),
  steps: z.array(StepId),
  positions: z.array(z.object({ agent: AgentId, step: StepId, position: z.string() })),
  status: z.enum(['open', 'discussing', 'escalated', 'resolved']),
  rounds: z.array(DiscussionRound).default([]),
  tally: z.array(VoteTally).default([]),
  resolution: ConflictResolution.optional(),
  winner: z.string().optional(),
  decidedBy: z.string().optional(),
});
export type Conflict = z.infer<typeof Conflict>;
