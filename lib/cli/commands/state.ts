import { Command } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { runtimeContext, withContext } from './context';

export function registerState(program: Command, cli: CliContext): void {
  program
    .command('state')
    .description('print the state of a container as JSON')
    .argument('<id>', 'container id')
    .action((id: string) => stateAction(cli, id));
}

/** Also run by the quick commands (../quick.ts). */
export function stateAction(cli: CliContext, id: string): Promise<void> {
  return withContext(`state ${id}`, async () => {
    const { containerState } = await import('../../runtime/query');
    writeStdout(JSON.stringify(containerState(runtimeContext(cli), id), null, 2) + '\n');
  });
}
