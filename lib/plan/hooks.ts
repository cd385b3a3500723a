// Hook steps run by the helper inside the container's namespaces
// (createContainer, startContainer). prestart/createRuntime/poststart/
// poststop run in the runtime's namespaces and are not plan steps.
import type { Hook, HookName } from '../spec/types';
import type { PlanOp } from './ops';

/** A hookState step with the JSON the hooks read on stdin, then one step per hook; nothing without hooks. */
export function hookOps(name: HookName, hooks: readonly Hook[] | undefined, stateJson: () => string): PlanOp[] {
  if (!hooks || hooks.length === 0) return [];
  return [
    { op: 'hookState', json: stateJson() },
    ...hooks.map((h): PlanOp => ({
      op: 'hook',
      hook: name,
      path: h.path,
      timeout: h.timeout ?? 0,
      // Like Go's exec.Cmd (runc): no args means argv = [path].
      args: h.args && h.args.length ? [...h.args] : [h.path],
      env: [...(h.env ?? [])],
    })),
  ];
}
