// The command table. Each command maps options onto one runtime call.
import { Command } from 'commander';
import type { CliContext } from '../main';
import { registerCreate } from './create';
import { registerStart } from './start';
import { registerRun } from './run';
import { registerState } from './state';
import { registerKill } from './kill';
import { registerDelete } from './delete';
import { registerList } from './list';
import { registerSpec } from './spec';
import { registerFeatures } from './features';
import { registerExec } from './exec';
import { registerPause } from './pause';
import { registerPs } from './ps';
import { registerUpdate } from './update';
import { registerEvents } from './events';

export type { GlobalOptions } from '../globals';

export type Register = (program: Command, cli: CliContext) => void;

/** A command file and the command names it registers (a start registers only the one it runs). */
export interface CommandEntry {
  names: readonly string[];
  register: Register;
}

export const commands: CommandEntry[] = [
  { names: ['create'], register: registerCreate },
  { names: ['start'], register: registerStart },
  { names: ['run'], register: registerRun },
  { names: ['exec'], register: registerExec },
  { names: ['state'], register: registerState },
  { names: ['kill'], register: registerKill },
  { names: ['delete'], register: registerDelete },
  { names: ['pause', 'resume'], register: registerPause },
  { names: ['ps'], register: registerPs },
  { names: ['update'], register: registerUpdate },
  { names: ['events'], register: registerEvents },
  { names: ['list'], register: registerList },
  { names: ['spec'], register: registerSpec },
  { names: ['features'], register: registerFeatures },
];
