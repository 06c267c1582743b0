import { z } from 'zod';
import { UsageTotals } from './usage';

export const ChatMode = z.enum(['single', 'multi', 'workflow']);
export type ChatMode = z.infer<typeof ChatMode>;

/** A message a person sends; validated at every boundary (API, command line). */
export const SendMessage = z.object({
  text: z
    .string()
    .transform((t) => t.trim())
    .pipe(z.string().min(1, 'the message is empty').max(100_000, 'the message is longer than 100,000 characters')),
  mode: ChatMode.default('single'),
  agents: z.array(z.string()).max(9).optional(),
});
export type SendMessage = z.infer<typeof SendMessage>;

/** One message of a conversation; an assistant message says which run answered and what it cost. */
export const Message = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  mode: ChatMode,
  runId: z.string().optional(),
  status: z.enum(['completed', 'failed', 'cancelled']).optional(),
  agents: z.array(z.string()).default([]),
  usage: UsageTotals.optional(),
  offline: z.boolean().default(false),
});
export type Message = z.infer<typeof Message>;
