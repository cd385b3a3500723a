import { Command } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { withContext } from './context';

export function registerFeatures(program: Command, _cli: CliContext): void {
  program
    .command('features')
    .description('print the OCI features this runtime supports, as JSON')
    .action(() =>
      withContext('features', async () => {
        const { features } = await import('../../runtime/features');
        writeStdout(JSON.stringify(features(), null, '    ') + '\n');
      }),
    );
}
