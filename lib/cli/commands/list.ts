import { Command } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { runtimeContext, withContext } from './context';
import { RuntimeError } from '../../errors';

export const LIST_DEFAULT_FORMAT = 'table';

export function registerList(program: Command, cli: CliContext): void {
  program
    .command('list')
    .description('list containers')
    .option('-f, --format <format>', 'table or json', LIST_DEFAULT_FORMAT)
    .option('-q, --quiet', 'print only the ids')
    .action((flags: ListFlags) => listAction(cli, flags));
}

export interface ListFlags {
  format: string;
  quiet?: boolean;
}

/** Also run by the quick commands (../quick.ts). */
export function listAction(cli: CliContext, flags: ListFlags): Promise<void> {
  return withContext('list', async () => {
    const { listContainers } = await import('../../runtime/query');
    const states = listContainers(runtimeContext(cli));
    if (flags.quiet) return writeStdout(states.map((s) => s.id + '\n').join(''));
    if (flags.format === 'json') return writeStdout(JSON.stringify(states) + '\n');
    if (flags.format !== 'table') throw new RuntimeError(`invalid --format ${JSON.stringify(flags.format)}: use table or json`);
    writeStdout(table(states.map((s) => [s.id, String(s.pid), s.status, s.bundle, s.created, s.owner ?? ''])));
  });
}

function table(rows: string[][]): string {
  const all = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd() + '\n').join('');
}
