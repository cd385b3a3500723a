// Public API. Everything else is internal.
export { Container } from './container';
export type { ContainerCreateOptions, LoadOptions, Signal } from './container';
export { ExecProcess } from './exec-process';
export type { ExecOptions, ExecProcessInput, ProcessInput, ProcessOutput, StdioChoice } from './exec-process';
export type { ContainerState as OciState } from './spec/state-types';
export type { ContainerEvent, ContainerStats } from './cgroups/stats-types';
export type { SignalName } from './signal-names';
export type { ContainerTerminal } from './terminal-types';
export {
  RuntimeError,
  ConfigError,
  StateError,
  NotFoundError,
  ContainerSystemError,
  isRuntimeError,
} from './errors';
export { defaultSpec } from './spec/default';
export { features } from './runtime/features';
