import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export const KILL_DEFAULT_SIGNAL = 'SIGTERM';

export function registerKill(program: Command, cli: CliContext): void {
  program
    .command('kill')
    .description('send a signal (default SIGTERM) to the container init')
    .argument('<id>', 'container id')
    .argument('[signal]', 'signal name or number', KILL_DEFAULT_SIGNAL)
    .option('-a, --all', 'send the signal to every process in the container')
    .action((id: string, signal: string, flags: KillFlags) => killAction(cli, id, signal, flags));
}

export interface KillFlags {
  all?: boolean;
}

/** Also run by the quick commands (../quick.ts). */
export function killAction(cli: CliContext, id: string, signal: string, flags: KillFlags): Promise<void> {
  return withContext(`kill ${id}`, async () => {
    const { parseSignal } = await import('../../signals');
    const { killContainer } = await import('../../runtime/kill');
    await killContainer(runtimeContext(cli), id, parseSignal(signal), !!flags.all);
  });
}
