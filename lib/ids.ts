// Container id validation, with runc's rule: the id becomes a directory name
// under the state root and a cgroup leaf, so it must be one safe path
// component.
import { ConfigError } from './errors';

export const MAX_ID_LENGTH = 1024;

// \w is ASCII-only in JS as in Go's RE2, so the two rules agree exactly.
const ID_PATTERN = /^[\w+-][\w+.-]*$/;

export function isValidId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length <= MAX_ID_LENGTH &&
    id !== '.' &&
    id !== '..' &&
    ID_PATTERN.test(id)
  );
}

/** Returns the id unchanged, or throws ConfigError `invalid id format: <id>`. */
export function validateId(id: unknown): string {
  if (!isValidId(id)) throw new ConfigError(`invalid id format: ${String(id)}`);
  return id;
}
