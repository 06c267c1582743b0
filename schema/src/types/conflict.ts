import type { Conflict, DiscussionRound, Stance, VoteTally } from '@revo/actors';
import { builder } from '../builder';
import { ConflictStatusEnum, ResolutionEnum } from './enums';

const StanceRef = builder.objectRef<Stance>('Stance').implement({
  fields: (t) => ({
    agent: t.exposeString('agent'),
    position: t.exposeString('position'),
    confidence: t.exposeFloat('confidence'),
    rationale: t.exposeString('rationale'),
    answer: t.exposeString('answer'),
  }),
});

export const DiscussionRoundRef = builder.objectRef<DiscussionRound>('DiscussionRound').implement({
  description: "One round: every agent saw the others' positions (anonymised) and revised.",
  fields: (t) => ({
    round: t.exposeInt('round'),
    stances: t.field({ type: [StanceRef], resolve: (r) => r.stances }),
  }),
});

export const VoteTallyRef = builder.objectRef<VoteTally>('VoteTally').implement({
  fields: (t) => ({
    position: t.exposeString('position'),
    weight: t.exposeFloat('weight', { description: 'Sum of confidence times historical accuracy.' }),
    voters: t.exposeStringList('voters'),
  }),
});

interface TranscriptEntry extends Stance {
  round: number;
}
const TranscriptEntryRef = builder.objectRef<TranscriptEntry>('TranscriptEntry').implement({
  fields: (t) => ({
    round: t.exposeInt('round'),
    agent: t.exposeString('agent'),
    position: t.exposeString('position'),
    confidence: t.exposeFloat('confidence'),
    rationale: t.exposeString('rationale'),
    answer: t.exposeString('answer'),
  }),
});

/** The mediated discussion of one conflict. */
export const DiscussionRef = builder.objectRef<Conflict>('Discussion').implement({
  description: 'The mediated discussion of a conflict: rounds, the whole transcript, the vote and its outcome.',
  fields: (t) => ({
    conflictId: t.string({ resolve: (c) => c.id }),
    status: t.field({ type: ConflictStatusEnum, resolve: (c) => c.status }),
    rounds: t.field({ type: [DiscussionRoundRef], resolve: (c) => c.rounds }),
    transcript: t.field({
      type: [TranscriptEntryRef],
      resolve: (c) => c.rounds.flatMap((r) => r.stances.map((s) => ({ ...s, round: r.round }))),
    }),
    tally: t.field({ type: [VoteTallyRef], resolve: (c) => c.tally }),
    resolution: t.field({ type: ResolutionEnum, nullable: true, resolve: (c) => c.resolution ?? null }),
    winner: t.exposeString('winner', { nullable: true }),
  }),
});

const PositionRef = builder.objectRef<Conflict['positions'][number]>('ConflictPosition').implement({
  fields: (t) => ({
    agent: t.exposeString('agent'),
    step: t.exposeString('step'),
    position: t.exposeString('position'),
  }),
});

export const ConflictRef = builder.objectRef<Conflict>('Conflict').implement({
  description: 'Steps that answered the same question with different positions, and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id'),
    question: t.exposeString('question'),
    steps: t.stringList({ resolve: (c) => c.steps }),
    positions: t.field({ type: [PositionRef], resolve: (c) => c.positions }),
    status: t.field({ type: ConflictStatusEnum, resolve: (c) => c.status }),
    resolution: t.field({ type: ResolutionEnum, nullable: true, resolve: (c) => c.resolution ?? null }),
    winner: t.exposeString('winner', { nullable: true }),
    decidedBy: t.exposeString('decidedBy', { nullable: true }),
    tally: t.field({ type: [VoteTallyRef], resolve: (c) => c.tally }),
    options: t.stringList({
      description: 'The positions a person can choose between when the conflict is escalated.',
      resolve: (c) => [...new Set([...c.tally.map((v) => v.position), ...c.positions.map((p) => p.position)])],
    }),
    discussion: t.field({ type: DiscussionRef, resolve: (c) => c }),
  }),
});
