// Every config problem reaches the user as one line naming the file and the
// JSON-pointer of the field: "/b/config.json: /process/args: must be array".
import { ConfigError, ConfigProblem } from '../errors';

export function fieldError(file: string, field: string, message: string): ConfigError {
  return new ConfigError(`${file}: ${field}: ${message}`, file, field);
}

/** How many problems one error lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/** Several problems of one file at once: one line each, the first `field` on the error. */
export function fieldErrors(file: string, problems: readonly ConfigProblem[]): ConfigError {
  if (problems.length === 1) return fieldError(file, problems[0].field, problems[0].message);
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${file}: ${p.field}: ${p.message}`);
  const more = problems.length - MAX_LISTED_PROBLEMS;
  if (more > 0) lines.push(`${file}: and ${more} more problem${more === 1 ? '' : 's'}`);
  const err = new ConfigError(lines.join('\n'), file, problems[0].field);
  err.problems = problems;
  return err;
}
