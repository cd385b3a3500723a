import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export function registerDelete(program: Command, cli: CliContext): void {
  program
    .command('delete')
    .description('delete a stopped container and everything create made for it')
    .argument('<id>', 'container id')
    .option('-f, --force', 'kill the container first if it is running')
    .action((id: string, flags: DeleteFlags) => deleteAction(cli, id, flags));
}

export interface DeleteFlags {
  force?: boolean;
}

/** Also run by the quick commands (../quick.ts). */
export function deleteAction(cli: CliContext, id: string, flags: DeleteFlags): Promise<void> {
  return withContext(`delete ${id}`, async () => {
    const { deleteContainer } = await import('../../runtime/delete');
    await deleteContainer(runtimeContext(cli), id, { force: !!flags.force });
  });
}
