import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export function registerStart(program: Command, cli: CliContext): void {
  program
    .command('start')
    .description('start the user process of a created container')
    .argument('<id>', 'container id')
    .action((id: string) => startAction(cli, id));
}

/** Also run by the quick commands (../quick.ts). */
export function startAction(cli: CliContext, id: string): Promise<void> {
  return withContext(`start ${id}`, async () => {
    const { startContainer } = await import('../../runtime/start');
    await startContainer(runtimeContext(cli), id);
  });
}
