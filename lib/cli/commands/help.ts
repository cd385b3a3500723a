import { Command, CommanderError } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';

/** `ts-oci help [command]`: the same text as `--help`, on stdout. */
export function registerHelp(program: Command, _cli: CliContext): void {
  program
    .command('help')
    .description('show the help of ts-oci or of one command')
    .argument('[command]', 'command name')
    .action((name?: string) => {
      if (!name) return writeStdout(program.helpInformation());
      const cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!cmd) throw new CommanderError(2, 'ts-oci.unknownHelpTopic', `help: unknown command '${name}'`);
      writeStdout(cmd.helpInformation());
    });
}
