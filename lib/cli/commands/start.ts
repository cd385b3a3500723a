import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export function registerStart(program: Command, cli: CliContext): void {
  program
    .command('start')
    .description('start the user process of a created container')
    .argument('<id>', 'container id')
    .action((id: string) =>
      withContext(`start ${id}`, async () => {
        const { startContainer } = await import('../../runtime/start');
        await startContainer(runtimeContext(cli), id);
      }),
    );
}
