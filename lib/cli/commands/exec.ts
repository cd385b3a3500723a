// `exec [flags] <id> <cmd> [args...]` and `exec --process process.json <id>`,
// with runc's flags. The exit status is the exec'd process's (128+n for a
// signal); with --detach, 0 once it started; 255 when exec itself fails
// (runc's "exec failed" status: a caller can tell it from the process's 1).
import { Command } from 'commander';
import { RuntimeError } from '../../errors';
import type { CliContext } from '../main';
import type { ExecCliFlags as ExecFlags } from '../../runtime/exec-cli';
import { runtimeContext, withContext } from './context';


const collect = (v: string, prev: string[]): string[] => [...prev, v];

function collectGids(v: string, prev: number[]): number[] {
  return [...prev, ...v.split(',').map((g) => {
    if (!/^\d+$/.test(g) || Number(g) > 0xfffffffe) throw new RuntimeError(`invalid --additional-gids value ${JSON.stringify(g)}: need a gid`);
    return Number(g);
  })];
}

function parseCount(v: string): number {
  if (!/^\d+$/.test(v)) throw new RuntimeError(`invalid --preserve-fds value ${JSON.stringify(v)}: need a whole number`);
  return Number(v);
}

export function registerExec(program: Command, cli: CliContext): void {
  program
    .command('exec')
    .description('run a process in a running container')
    .usage('[options] <id> <command> [args...]  |  [options] --process process.json <id>')
    .argument('<id>', 'container id')
    .argument('[command...]', 'the command and its arguments (not with --process)')
    .option('--console-socket <path>', 'unix socket that receives the pty master (with -t, detached)')
    .option('--pidfd-socket <path>', 'unix socket that receives a pidfd of the process')
    .option('--cwd <path>', 'current working directory in the container')
    .option('-e, --env <name=value>', 'set an environment variable (repeatable; overrides the container\'s)', collect, [])
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('-u, --user <uid[:gid]>', 'user id, and optionally group id, to run as')
    .option('-g, --additional-gids <gid>', 'additional group id (repeatable)', collectGids, [])
    .option('-p, --process <file>', 'path to a process.json: the whole process (the other process flags are ignored)')
    .option('-d, --detach', 'detach from the process: return once it started')
    .option('--pid-file <file>', 'write the process id to this file')
    .option('--process-label <label>', 'SELinux label of the process (not supported: refused)')
    .option('--apparmor <profile>', 'AppArmor profile of the process (not supported: refused)')
    .option('--no-new-privs', 'set no_new_privs for the process')
    .option('-c, --cap <capability>', 'add a capability to the bounding, effective and permitted sets (repeatable)', collect, [])
    .option('--preserve-fds <n>', 'pass N additional file descriptors (3..3+N-1) to the process', parseCount, 0)
    .option('--cgroup <[controller:]path>', 'run the process in an existing sub-cgroup of the container (repeatable)', collect, [])
    .option('--ignore-paused', 'allow exec in a paused container')
    .passThroughOptions()
    .action((id: string, command: string[], flags: ExecFlags) => {
      cli.failureCode = 255;
      return withContext(`exec ${id}`, async () => {
        const { runExec } = await import('../../runtime/exec-cli');
        cli.exitCode = await runExec(runtimeContext(cli), id, command[0] === '--' ? command.slice(1) : command, flags);
      });
    });
}
