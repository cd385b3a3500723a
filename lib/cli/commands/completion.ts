import { Command, CommanderError } from 'commander';
import type { CliContext } from '../main';
import { writeStdout } from '../log';
import { bashCompletion } from '../completion';

/** `ts-oci completion bash`: a completion script made from the program's own definitions. */
export function registerCompletion(program: Command, _cli: CliContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash): source <(ts-oci completion bash)')
    .argument('<shell>', 'the shell: bash')
    .action((shell: string) => {
      if (shell !== 'bash') throw new CommanderError(2, 'ts-oci.unknownShell', `completion: unsupported shell '${shell}': use bash`);
      writeStdout(bashCompletion(program));
    });
}
