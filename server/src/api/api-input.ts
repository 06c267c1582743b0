import { CursorError, type Page, SendMessage } from '@revo/actors';
import { ApiError } from '@revo/schema';
import { z } from 'zod';

/** The shapes every API input is checked against. */
export const Id = z.string().trim().min(1, 'an id is required').max(200, 'an id is at most 200 characters');
export const PageSize = z.number().int().min(1).max(100).default(20);
export const Task = SendMessage.shape.text;

/** Parses input with zod and turns every problem into one readable BAD_USER_INPUT error. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new ApiError('BAD_USER_INPUT', `${what}: ${problems.join('; ')}`);
}

/** A page of records; a cursor this server did not issue is the caller's mistake. */
export async function paged<T>(load: () => Promise<Page<T>>): Promise<Page<T>> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof CursorError) throw new ApiError('BAD_USER_INPUT', error.message);
    throw error;
  }
}
