import { Command } from 'commander';
import type { CliContext } from '../main';
import { addCreateFlags, createOptions, CreateFlags, runtimeContext, withContext } from './context';

export function registerRun(program: Command, cli: CliContext): void {
  addCreateFlags(program.command('run').description('create and start a container, wait for it, delete it').argument('<id>', 'container id'))
    .option('-d, --detach', 'detach from the container process: return once it started')
    .option('--keep', 'do not delete the container after it exits')
    .action((id: string, flags: CreateFlags & { detach?: boolean; keep?: boolean }) =>
      withContext(`run ${id}`, async () => {
        const { runContainer } = await import('../../runtime/run');
        // In the foreground ts-oci itself relays its terminal to the container's.
        const opts = { ...createOptions(id, flags), keepConsole: !flags.detach };
        cli.exitCode = await runContainer(runtimeContext(cli), opts, {
          detach: !!flags.detach,
          keep: !!flags.keep,
        });
      }),
    );
}
