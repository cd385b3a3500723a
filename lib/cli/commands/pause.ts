// `pause` / `resume` (runc's names; Docker's pause and unpause call them).
import { Command } from 'commander';
import type { CliContext } from '../main';
import { runtimeContext, withContext } from './context';

export function registerPause(program: Command, cli: CliContext): void {
  program
    .command('pause')
    .description('suspend every process of the container (cgroup freezer); returns once they are frozen')
    .argument('<id>', 'container id')
    .action((id: string) =>
      withContext(`pause ${id}`, async () => {
        const { pauseContainer } = await import('../../runtime/pause');
        await pauseContainer(runtimeContext(cli), id);
      }),
    );
  program
    .command('resume')
    .description('resume every process of a paused container')
    .argument('<id>', 'container id')
    .action((id: string) =>
      withContext(`resume ${id}`, async () => {
        const { resumeContainer } = await import('../../runtime/pause');
        await resumeContainer(runtimeContext(cli), id);
      }),
    );
}
