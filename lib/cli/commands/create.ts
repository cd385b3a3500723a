import { Command } from 'commander';
import type { CliContext } from '../main';
import { addCreateFlags, createOptions, CreateFlags, runtimeContext, withContext } from './context';

export function registerCreate(program: Command, cli: CliContext): void {
  addCreateFlags(program.command('create').description('create a container').argument('<id>', 'container id'))
    .action((id: string, flags: CreateFlags) =>
      withContext(`create ${id}`, async () => {
        const { createContainer } = await import('../../runtime/create');
        await createContainer(runtimeContext(cli), createOptions(id, flags));
      }),
    );
}
