// Container.exec(): the runtime's exec with the library's stdio (pipes as
// streams) and an ExecProcess handle. Nothing here blocks the event loop
// beyond the short synchronous steps exec shares with the CLI.
import { RuntimeError } from '../errors';
import { ExecOptions, ExecProcess, ExecProcessInput, ProcessInput, ProcessOutput } from '../exec-process';
import { RuntimeContext } from './context';
import { TerminalStream } from './terminal-stream';
import { execInContainer } from './exec';
import { processFromInput } from './exec-process';
import { normalizeStdio, pipeStreams, prepareStdio } from './exec-stdio';

export async function execForLibrary(ctx: RuntimeContext, id: string, input: ExecProcessInput, opts: ExecOptions): Promise<ExecProcess> {
  if (!input || !Array.isArray(input.args)) throw new RuntimeError('exec(process): process.args must be an array');
  const terminal = !!(opts.terminal ?? input.terminal);
  // The pty becomes fds 0-2: other stdio would only be replaced.
  if (terminal && opts.stdio !== undefined) throw new RuntimeError('exec: a terminal is the process\'s stdio; do not give stdio with it');
  const stdio = prepareStdio(normalizeStdio(terminal ? 'ignore' : opts.stdio));
  let child;
  try {
    child = await execInContainer(ctx, id, {
      process: (base) => ({ ...processFromInput(base, input), terminal }),
      source: 'exec process',
      stdio: stdio.childFds,
      preserveFds: opts.preserveFds,
      passedFds: opts.passedFds,
      ignorePaused: opts.ignorePaused,
      cgroup: typeof opts.cgroup === 'string' ? [opts.cgroup] : opts.cgroup,
      consoleSocket: opts.consoleSocket,
      pidfdSocket: opts.pidfdSocket,
      // No console socket: the caller reads the terminal through ExecProcess.terminal.
      keepConsole: !opts.consoleSocket,
    });
  } catch (e) {
    stdio.closeAll();
    throw e;
  }
  // The process holds its copies now; ours would keep its pipes from ever reaching EOF.
  stdio.closeChildEnds();
  const [stdin, stdout, stderr] = pipeStreams(stdio.parentFds);
  return new ExecProcess(child.pid, child.pidfd, {
    stdin: stdin as unknown as ProcessInput | null,
    stdout: stdout as unknown as ProcessOutput | null,
    stderr: stderr as unknown as ProcessOutput | null,
    terminal: child.console ? new TerminalStream(child.console) : null,
  }, !opts.detach);
}
