// Run as an ordinary user, ts-oci fails on its first state directory or
// cgroup with a bare EACCES/EPERM. The CLI and the library both say why.

export const ROOT_HINT = 'ts-oci needs root for this: run it as root, or rootless with a user namespace in config.json (ts-oci spec --rootless) and a --root you may write';

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

// Set on an error met inside the container's own user namespace: there its
// root lacks the privilege whoever runs ts-oci, so "run it as root, or
// rootless" would be the wrong advice (a rootless user has done just that).
const IN_CONTAINER_USERNS = Symbol('ts-oci.in-container-userns');

export function inContainerUserns<E>(e: E): E {
  if (e !== null && typeof e === 'object') Object.defineProperty(e, IN_CONTAINER_USERNS, { value: true });
  return e;
}

/** An EACCES/EPERM (its own code or its cause's) met by a process that is not root, outside the container's user namespace. */
export function needsRoot(e: unknown, euid: number): boolean {
  if (euid === 0) return false;
  if ((e as { [IN_CONTAINER_USERNS]?: boolean } | null | undefined)?.[IN_CONTAINER_USERNS]) return false;
  const code = errorCode(e) ?? errorCode((e as { cause?: unknown } | null | undefined)?.cause);
  return code === 'EACCES' || code === 'EPERM';
}

/** Runs `fn`; an error that needs root gets the hint appended to its message (its fields unchanged). */
export async function withRootHint<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && needsRoot(e, process.geteuid?.() ?? 0) && !e.message.includes(ROOT_HINT)) {
      e.message += ` (${ROOT_HINT})`;
    }
    throw e;
  }
}
