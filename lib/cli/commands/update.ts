// `update [flags] <id>` with runc's flags, or `-r FILE|-` with a resources JSON.
import { Command } from 'commander';
import type { CliContext } from '../main';
import type { UpdateFlags } from '../../cgroups/update-resources';
import { runtimeContext, withContext } from './context';

export function registerUpdate(program: Command, cli: CliContext): void {
  program
    .command('update')
    .description('update the resource limits of a container')
    .argument('<id>', 'container id')
    .option('-r, --resources <file>', 'a linux.resources JSON file, - for stdin (the other flags are then ignored, as runc does)')
    .option('--blkio-weight <n>', 'block IO weight, 10-1000')
    .option('--cpu-period <us>', 'CPU CFS period')
    .option('--cpu-quota <us>', 'CPU CFS quota (-1: none)')
    .option('--cpu-burst <us>', 'CPU CFS burst')
    .option('--cpu-share <n>', 'CPU shares (relative weight)')
    .option('--cpu-shares <n>', 'same as --cpu-share')
    .option('--cpu-rt-period <us>', 'CPU realtime period')
    .option('--cpu-rt-runtime <us>', 'CPU realtime runtime')
    .option('--cpuset-cpus <list>', 'CPUs to run on (0-3, 0,1)')
    .option('--cpuset-mems <list>', 'memory nodes to use')
    .option('--kernel-memory <size>', 'kernel memory limit (refused: no longer in the kernel)')
    .option('--kernel-memory-tcp <size>', 'kernel TCP buffer limit (cgroup v1 only)')
    .option('--memory <size>', 'memory limit (512m, 1g, -1)')
    .option('--memory-reservation <size>', 'memory soft limit')
    .option('--memory-swap <size>', 'memory + swap limit (-1: unlimited)')
    .option('--pids-limit <n>', 'maximum number of pids (-1: unlimited)')
    .option('--l3-cache-schema <schema>', 'Intel RDT L3 cache schema (refused: no resctrl support)')
    .option('--mem-bw-schema <schema>', 'Intel RDT memory bandwidth schema (refused: no resctrl support)')
    .action((id: string, flags: UpdateFlags & { resources?: string }) =>
      withContext(`update ${id}`, async () => {
        const { resourcesFromFlags } = await import('../../cgroups/update-resources');
        const { readResourcesFile, updateContainer } = await import('../../runtime/update');
        const resources = flags.resources !== undefined ? readResourcesFile(flags.resources) : resourcesFromFlags(flags);
        await updateContainer(runtimeContext(cli), id, resources);
      }),
    );
}
