import { z } from 'zod';
import { Usage } from './usage';

/**
 * What a model must return for an agent: validated before it is accepted, so an answer that fails
 * makes the agent fall to the next model. `position` is a short normalised stance (a few words,
 * lower case) so that disagreement between agents is decidable by comparing strings.
 */
export const ModelAnswer = z.object({
  answer: z.string().min(1).max(200_000),
  position: z
    .string()
    .min(1)
    .max(80)
    .transform((p) => normalisePosition(p)),
  confidence: z.number().min(0).max(1),
  rationale: z.string().max(20_000).default(''),
  /** A step that flags its own result (a failing test, a found hole) asks the planner to adapt. */
  flag: z.enum(['none', 'failed-check', 'needs-review']).default('none'),
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;

/** An accepted answer with what it cost. */
export const AgentAnswer = z.object({
  answer: z.string(),
  position: z.string(),
  confidence: z.number().min(0).max(1),
  rationale: z.string(),
  flag: z.enum(['none', 'failed-check', 'needs-review']),
  usage: Usage,
});
export type AgentAnswer = z.infer<typeof AgentAnswer>;

/** Lower case, single spaces, no trailing punctuation: "Use Postgres." and "use postgres" agree. */
export function normalisePosition(position: string): string {
  return position
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** JSON Schema of `ModelAnswer`, sent to models that support structured output. */
export const modelAnswerJsonSchema = {
  type: 'object',
  properties: {
    answer: { type: 'string', description: 'the full answer to the task' },
    position: { type: 'string', description: 'your stance in at most five lower-case words' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    rationale: { type: 'string', description: 'why, in two or three sentences' },
    flag: { type: 'string', enum: ['none', 'failed-check', 'needs-review'] },
  },
  required: ['answer', 'position', 'confidence', 'rationale'],
} as const;
