import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import type { CliContext } from '../main';
import { withContext } from './context';
import { RuntimeError } from '../../errors';

export function registerSpec(program: Command, _cli: CliContext): void {
  program
    .command('spec')
    .description('write a default config.json (like `runc spec`)')
    .option('-b, --bundle <dir>', 'where to write config.json', '.')
    .option('--rootless', 'generate a config for a rootless container')
    .action((flags: { bundle: string; rootless?: boolean }) =>
      withContext('spec', async () => {
        const { defaultSpec } = await import('../../spec/default');
        const file = path.join(flags.bundle, 'config.json');
        if (fs.existsSync(file)) throw new RuntimeError(`File ${file} exists. Remove it first`);
        fs.writeFileSync(file, JSON.stringify(defaultSpec({ rootless: !!flags.rootless }), null, '\t') + '\n', { mode: 0o666 });
      }),
    );
}
