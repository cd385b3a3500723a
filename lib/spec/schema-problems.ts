// The schema validator's errors (ajv, allErrors) as the problems a user
// should read: one per bad value. A failed anyOf/oneOf/if is reported by
// ajv both as its branches' errors and as its own vague "must match a
// schema in anyOf"; the more specific error wins, and of the branch errors
// about the value itself only the first is kept (the others describe the
// branches that were not meant).
import type { ConfigProblem } from '../errors';
import type { SchemaError } from './config-validator';

const COMBINATORS = new Set(['anyOf', 'oneOf', 'if']);

function under(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

export function schemaProblems(errors: readonly SchemaError[]): ConfigProblem[] {
  const specific = errors.filter((e) => !COMBINATORS.has(e.keyword));
  const combined = errors.filter((e) => COMBINATORS.has(e.keyword));
  const kept: SchemaError[] = [];
  for (const e of specific) {
    const alternative = combined.some((c) => c.instancePath === e.instancePath);
    if (alternative && kept.some((k) => k.instancePath === e.instancePath)) continue;
    kept.push(e);
  }
  for (const c of combined) {
    if (!kept.some((k) => under(k.instancePath, c.instancePath))) kept.push(c);
  }
  const order = new Map(errors.map((e, i) => [e, i]));
  kept.sort((a, b) => order.get(a)! - order.get(b)!);
  return kept.map((e) => ({ field: e.instancePath || '/', message: schemaMessage(e) }));
}

export function schemaMessage(err: SchemaError): string {
  const message = err.message ?? `fails "${err.keyword}"`;
  const allowed = err.params.allowedValues;
  if (err.keyword === 'enum' && Array.isArray(allowed)) return `${message}: ${allowed.join(', ')}`;
  return message;
}
