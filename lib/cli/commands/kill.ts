import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export function registerKill(program: Command, cli: CliContext): void {
  program
    .command('kill')
    .description('send a signal (default SIGTERM) to the container init')
    .argument('<id>', 'container id')
    .argument('[signal]', 'signal name or number', 'SIGTERM')
    .option('-a, --all', 'send the signal to every process in the container')
    .action((id: string, signal: string, flags: { all?: boolean }) =>
      withContext(`kill ${id}`, async () => {
        const { parseSignal } = await import('../../signals');
        const { killContainer } = await import('../../runtime/kill');
        await killContainer(runtimeContext(cli), id, parseSignal(signal), !!flags.all);
      }),
    );
}
