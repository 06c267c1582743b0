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
  const json = extractJson(text);
  if (json === undefined) return { ok: false, error: 'the reply holds no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `the reply is not valid JSON (${(error as Error).message})` };
  }
  const common = ModelAnswer.safeParse(data);
  if (!common.success) return { ok: false, error: `the reply does not fit the answer schema: ${describe(common.error)}` };
  if (rules.outputSchema) {
    const extra = schemaFor(rules.outputSchema).safeParse(data);
    if (!extra.success) return { ok: false, error: `the reply does not fit the agent's schema: ${describe(extra.error)}` };
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

function extractJson(text: string): string | undefined {
  const withoutThinking = text.replace(/^\s*<think>[\s\S]*?<\/think>/, '');
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(withoutThinking);
  const body = (fenced?.[1] ?? withoutThinking).trim();
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : undefined;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
