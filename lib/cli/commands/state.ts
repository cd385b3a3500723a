import { Command } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { runtimeContext, withContext } from './context';

export function registerState(program: Command, cli: CliContext): void {
  program
    .command('state')
    .description('print the state of a container as JSON')
    .argument('<id>', 'container id')
    .action((id: string) =>
      withContext(`state ${id}`, async () => {
        const { containerState } = await import('../../runtime/query');
        writeStdout(JSON.stringify(containerState(runtimeContext(cli), id), null, 2) + '\n');
      }),
    );
}
