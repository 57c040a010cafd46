import type { z } from 'zod';
import { badRequest, notFound } from '../../errors.js';

/** Parses input with a zod schema; a failure is a 400 listing each problem by field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badRequest(
      'Some of the input is not valid',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** Parses route ids; a malformed id is a 404 like any other id this tenant cannot see. */
export function parseIds<S extends z.ZodType>(schema: S, params: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}
