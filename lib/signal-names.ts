// The signals the public API accepts, as a type of its own: the package's
// declarations must not depend on @types/node (NodeJS.Signals would become
// `any` in a project without it, accepting anything).

/** Linux's standard signal names and their aliases (lib/signals.ts has the numbers). */
export type StandardSignalName =
  | 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGILL' | 'SIGTRAP' | 'SIGABRT' | 'SIGIOT' | 'SIGBUS'
  | 'SIGFPE' | 'SIGKILL' | 'SIGUSR1' | 'SIGSEGV' | 'SIGUSR2' | 'SIGPIPE' | 'SIGALRM' | 'SIGTERM'
  | 'SIGSTKFLT' | 'SIGCHLD' | 'SIGCLD' | 'SIGCONT' | 'SIGSTOP' | 'SIGTSTP' | 'SIGTTIN' | 'SIGTTOU'
  | 'SIGURG' | 'SIGXCPU' | 'SIGXFSZ' | 'SIGVTALRM' | 'SIGPROF' | 'SIGWINCH' | 'SIGIO' | 'SIGPOLL'
  | 'SIGPWR' | 'SIGSYS';

/** Real-time signals by runc's names: SIGRTMIN, SIGRTMIN+3, SIGRTMAX-1. */
export type RealtimeSignalName = 'SIGRTMIN' | 'SIGRTMAX' | `SIGRTMIN+${number}` | `SIGRTMAX-${number}`;

export type SignalName = StandardSignalName | RealtimeSignalName;

type WithoutPrefix<S> = S extends `SIG${infer Rest}` ? Rest : never;

/** A signal for `kill`: a name with or without the SIG prefix (`'SIGTERM'`, `'KILL'`), or its number. */
export type Signal = SignalName | WithoutPrefix<SignalName> | number;
