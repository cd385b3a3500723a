// `events [--stats] [--interval D] <id>`: runc's JSON envelope, one object per line.
import { Command } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { runtimeContext, withContext } from './context';

export function registerEvents(program: Command, cli: CliContext): void {
  program
    .command('events')
    .description('print container events (resource stats, OOM) as JSON lines until the container stops')
    .argument('<id>', 'container id')
    .option('--stats', 'print the resource stats once and exit')
    .option('--interval <duration>', 'time between stats events', '5s')
    .action((id: string, flags: { stats?: boolean; interval: string }) =>
      withContext(`events ${id}`, async () => {
        const { containerEvents, parseDuration, statsEvent } = await import('../../runtime/events');
        const { statsJson } = await import('../../cgroups/stats');
        const ctx = runtimeContext(cli);
        if (flags.stats) return writeStdout(statsJson(statsEvent(ctx, id)) + '\n');
        for await (const event of containerEvents(ctx, id, { interval: parseDuration(flags.interval) })) {
          writeStdout(statsJson(event) + '\n');
        }
      }),
    );
}
