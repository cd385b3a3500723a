// Compiled by test/integration/library.test.js with `tsc --noEmit`: the
// shipped declarations (dist/index.d.ts, reached through package.json
// "exports" as a user's `import ... from 'ts-oci'` is) say what the API is.
import {
  Container,
  ContainerTerminal,
  ConfigError,
  ContainerSystemError,
  NotFoundError,
  OciState,
  RuntimeError,
  StateError,
  defaultSpec,
  isRuntimeError,
} from 'ts-oci';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

assertType<Equals<ReturnType<typeof Container.create>, Promise<Container>>>();
assertType<Equals<ReturnType<typeof Container.load>, Promise<Container>>>();
assertType<Equals<ReturnType<typeof Container.list>, Promise<OciState[]>>>();
assertType<Equals<ReturnType<Container['wait']>, Promise<number | null>>>();
assertType<Equals<ReturnType<Container['state']>, Promise<OciState>>>();
assertType<Equals<ReturnType<Container['start']>, Promise<void>>>();
assertType<Equals<ReturnType<Container['delete']>, Promise<void>>>();
assertType<Equals<OciState['pid'], number>>();
assertType<Equals<OciState['status'], 'creating' | 'created' | 'running' | 'paused' | 'stopped'>>();
assertType<Equals<Container['id'], string>>();
assertType<Equals<Container['terminal'], ContainerTerminal | undefined>>();
assertType<Equals<ReturnType<ContainerTerminal['resize']>, void>>();

export async function lifecycle(): Promise<number | null> {
  const c: Container = await Container.create({ id: 'c1', bundle: '/b', root: '/run/x' });
  await c.start();
  const s: OciState = await c.state();
  const pid: number = s.pid;
  await c.kill();
  await c.kill(9);
  await c.kill('SIGKILL');
  await c.kill('SIGTERM', { all: true });
  const status = await c.wait();
  await c.delete({ force: true });
  const loaded = await Container.load('c1', { root: '/run/x' });
  const all: OciState[] = await Container.list({ root: '/run/x' });
  void [pid, loaded, all];
  // @ts-expect-error id is required
  await Container.create({ bundle: '/b' });
  // @ts-expect-error signals are names or numbers
  await c.kill({ signal: 9 });
  // @ts-expect-error the constructor is private: handles come from create/load
  new Container('x', { root: '/' });
  return status;
}

export function errors(e: unknown): string {
  if (e instanceof ContainerSystemError) {
    const code: string = e.code;
    const errno: number = e.errno;
    const fields: [string | undefined, string | undefined, string | undefined] = [e.syscall, e.path, e.step];
    return `${code} ${errno} ${fields.join(' ')}`;
  }
  if (e instanceof ConfigError) {
    const where: [string | undefined, string | undefined] = [e.file, e.field];
    return where.join(':');
  }
  if (e instanceof NotFoundError) {
    const asState: StateError = e;
    return asState.message;
  }
  if (isRuntimeError(e)) {
    const r: RuntimeError = e;
    return r.message;
  }
  return defaultSpec().ociVersion;
}
