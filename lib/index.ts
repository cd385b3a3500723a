// Public API. Everything else is internal.
export { Container } from './container';
export type { ContainerCreateOptions, LoadOptions, Signal } from './container';
export type { OciState } from './runtime/oci-state';
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
