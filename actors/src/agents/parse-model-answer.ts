import { z } from 'zod';
import { ModelAnswer } from '../domain/agent-answer';
import type { AgentProfile } from '../domain/agent-profile';

export type ParsedAnswer = { ok: true; value: ModelAnswer } | { ok: false; error: string };

type AnswerRules = Pick<AgentProfile, 'outputSchema' | 'positions'>;

const extraSchemas = new WeakMap<object, z.ZodType>();

/**
 * Reads a model's reply as an answer: JSON (bare, fenced, or after a `<think>` block), the common
 * answer fields, then the agent's own schema and allowed positions. Pure, so the agent machine can
 * decide in a guard whether to accept the reply or fall to the next model.
 */
export function parseModelAnswer(text: string, rules: AnswerRules): ParsedAnswer {
  const parsed = readJson(text);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  const common = ModelAnswer.safeParse(data);
  if (!common.success)
    return { ok: false, error: `the reply does not fit the answer schema: ${describe(common.error)}` };
  if (rules.outputSchema) {
    const extra = schemaFor(rules.outputSchema).safeParse(data);
    if (!extra.success)
      return { ok: false, error: `the reply does not fit the agent's schema: ${describe(extra.error)}` };
  }
  if (rules.positions && !rules.positions.includes(common.data.position)) {
    return { ok: false, error: `position "${common.data.position}" is not one of ${rules.positions.join(', ')}` };
  }
  return { ok: true, value: common.data };
}

function schemaFor(schema: object): z.ZodType {
  let parsed = extraSchemas.get(schema);
  if (!parsed) {
    parsed = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    extraSchemas.set(schema, parsed);
  }
  return parsed;
}

/** Whole reply first; then a fenced block; then the outermost braces (models wrap JSON in prose). */
function readJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const body = text.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(body)?.[1]?.trim();
  const start = body.indexOf('{');
  const braces = start >= 0 ? body.slice(start, body.lastIndexOf('}') + 1) : undefined;
  let firstError = '';
  for (const candidate of [body, fenced, braces]) {
    if (!candidate) continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      firstError ||= (error as Error).message;
    }
  }
  return start < 0
    ? { ok: false, error: 'the reply holds no JSON object' }
    : { ok: false, error: `the reply is not valid JSON (${firstError})` };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
