// A user's project with TypeScript's defaults (no tsconfig: ES5 lib, no
// strict, node10 resolution through package.json "types") and without
// @types/node. Compiled by test/helpers/types-consumer.js against the
// package's shipped declarations: nothing may need Node's types or ES2015's
// lib, and Signal must stay a real type, not `any`.
import {
  Container, ContainerCreateOptions, ExecOptions, ExecProcess, ExecProcessInput, OciState, ProcessInput, ProcessOutput, Signal,
  SignalName, defaultSpec, features,
} from 'ts-oci';

type IsAny<T> = 0 extends 1 & T ? true : false;
function expectNotAny<T>(_proof: IsAny<T> extends false ? true : never): void {}
expectNotAny<Signal>(true);
expectNotAny<SignalName>(true);
expectNotAny<OciState>(true);
expectNotAny<ContainerCreateOptions>(true);

// No async/await here: with the ES5 lib a user's own async function fails to
// compile (no Promise constructor), which is not ours to test.
export function use(c: Container): Promise<string> {
  const name: SignalName = 'SIGRTMIN+3';
  const signals: Signal[] = ['SIGTERM', 'KILL', 9, name, 'RTMAX-1'];
  const kills = signals.map((s) => c.kill(s));
  // @ts-expect-error not a signal name
  c.kill('SIGFOO');
  // @ts-expect-error signals are names or numbers
  c.kill({ signal: 9 });
  const terminal = c.terminal;
  if (terminal) terminal.resize(80, 24);
  const options: ContainerCreateOptions = { id: 'c1', bundle: '/b', root: '/run/x', noPivot: true, consoleSocket: '/s' };
  // @ts-expect-error the bundle is required
  const missing: ContainerCreateOptions = { id: 'c1' };
  return Container.create(options)
    .then((created) => created.state())
    .then((state: OciState) => `${kills.length} ${state.status} ${state.pid} ${defaultSpec().ociVersion} ${features().ociVersionMax} ${missing.id}`);
}

export function useExec(c: Container): Promise<number> {
  const options: ExecOptions = { stdio: ['pipe', 'pipe', 'ignore'], cgroup: 'sub', ignorePaused: true };
  // @ts-expect-error args are required
  const noArgs: ExecProcessInput = { cwd: '/' };
  return c.exec({ args: ['ls'], env: ['A=1'], user: { uid: 1 } }, options).then((p: ExecProcess) => {
    const out: ProcessOutput | null = p.stdout;
    const input: ProcessInput | null = p.stdin;
    if (out) out.setEncoding('utf8').on('data', (chunk) => chunk.length);
    if (input) input.end('x');
    const sent: boolean = p.kill('SIGTERM');
    return p.wait().then((status) => status + p.pid + (sent ? 1 : 0) + (noArgs.cwd ? 0 : 1));
  });
}
