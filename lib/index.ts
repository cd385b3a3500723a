// Public API. Everything else is internal.
export { Container } from './container';
export type { ContainerCreateOptions, LoadOptions, Signal } from './container';
export type { ContainerState as OciState } from './spec/state-types';
export type { SignalName } from './signal-names';
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
