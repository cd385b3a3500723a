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

export interface GlobalOptions {
  root: string;
  log?: string;
  logFormat: 'text' | 'json';
  debug?: boolean;
  systemdCgroup?: boolean;
  cgroupManager?: string;
}

export type Register = (program: Command, cli: CliContext) => void;

export const commands: Register[] = [
  registerCreate,
  registerStart,
  registerRun,
  registerExec,
  registerState,
  registerKill,
  registerDelete,
  registerPause,
  registerPs,
  registerUpdate,
  registerEvents,
  registerList,
  registerSpec,
  registerFeatures,
];
