// `ps [--format table|json] <id> [ps options]` (Docker's top calls it with json).
import { Command } from 'commander';
import { RuntimeError } from '../../errors';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { runtimeContext, withContext } from './context';

export function registerPs(program: Command, cli: CliContext): void {
  program
    .command('ps')
    .description("list the container's processes (json: their host pids; table: ps filtered to them)")
    .usage('[options] <id> [ps options]')
    .argument('<id>', 'container id')
    .argument('[psArgs...]', 'options for ps (default -ef)')
    .option('-f, --format <format>', 'table or json', 'table')
    .passThroughOptions()
    .action((id: string, psArgs: string[], flags: { format: string }) =>
      withContext(`ps ${id}`, async () => {
        const { containerPids, filterPsOutput, runPs } = await import('../../runtime/ps');
        const args = psArgs[0] === '--' ? psArgs.slice(1) : psArgs;
        if (flags.format === 'json') {
          if (args.length) throw new RuntimeError('ps options cannot be used with --format json');
          return writeStdout(JSON.stringify(containerPids(runtimeContext(cli), id)) + '\n');
        }
        if (flags.format !== 'table') throw new RuntimeError(`invalid --format ${JSON.stringify(flags.format)}: use table or json`);
        const pids = containerPids(runtimeContext(cli), id);
        writeStdout(filterPsOutput(await runPs(args), pids));
      }),
    );
}
