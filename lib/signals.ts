// Signal names and numbers for Linux x86_64/arm64 (the generic table), and
// runc's parser for the `kill` argument.
import { ConfigError } from './errors';
import type { StandardSignalName } from './signal-names';

/** glibc reserves 32 and 33 for NPTL, so userspace's SIGRTMIN is 34. */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

const STANDARD_SIGNALS: ReadonlyArray<readonly [StandardSignalName, number]> = [
  ['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3], ['SIGILL', 4], ['SIGTRAP', 5],
  ['SIGABRT', 6], ['SIGIOT', 6], ['SIGBUS', 7], ['SIGFPE', 8], ['SIGKILL', 9],
  ['SIGUSR1', 10], ['SIGSEGV', 11], ['SIGUSR2', 12], ['SIGPIPE', 13], ['SIGALRM', 14],
  ['SIGTERM', 15], ['SIGSTKFLT', 16], ['SIGCHLD', 17], ['SIGCLD', 17], ['SIGCONT', 18],
  ['SIGSTOP', 19], ['SIGTSTP', 20], ['SIGTTIN', 21], ['SIGTTOU', 22], ['SIGURG', 23],
  ['SIGXCPU', 24], ['SIGXFSZ', 25], ['SIGVTALRM', 26], ['SIGPROF', 27], ['SIGWINCH', 28],
  ['SIGIO', 29], ['SIGPOLL', 29], ['SIGPWR', 30], ['SIGSYS', 31],
];

/** Name (with the SIG prefix, upper case) → number; aliases included. */
export const SIGNALS: ReadonlyMap<string, number> = new Map<string, number>(STANDARD_SIGNALS);

export const SIGKILL = 9;
export const SIGTERM = 15;

const NAMES_BY_NUMBER = new Map<number, string>();
for (const [name, num] of STANDARD_SIGNALS) if (!NAMES_BY_NUMBER.has(num)) NAMES_BY_NUMBER.set(num, name);

/** The canonical name of a signal number (SIGRTMIN+n for real-time ones). */
export function signalName(signal: number): string | undefined {
  const known = NAMES_BY_NUMBER.get(signal);
  if (known) return known;
  if (Number.isInteger(signal) && signal >= SIGRTMIN && signal <= SIGRTMAX) {
    return signal === SIGRTMIN ? 'SIGRTMIN' : `SIGRTMIN+${signal - SIGRTMIN}`;
  }
  return undefined;
}

function realtimeSignal(name: string): number | undefined {
  const m = /^SIGRT(MIN|MAX)(?:([+-])(\d{1,2}))?$/.exec(name);
  if (!m) return undefined;
  const base = m[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
  const offset = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '+' ? 1 : -1);
  const signal = base + offset;
  return signal >= SIGRTMIN && signal <= SIGRTMAX ? signal : undefined;
}

/**
 * Like runc's parseSignal: a decimal number, or a name with or without the
 * SIG prefix, in any case (`9`, `KILL`, `sigkill`, `SIGRTMIN+3`). 0 is
 * kill(2)'s existence probe, which runc passes on (engines use it).
 * Anything else, including trailing garbage, is a ConfigError.
 */
export function parseSignal(raw: string): number {
  const text = String(raw);
  if (/^[0-9]+$/.test(text)) {
    const signal = Number(text);
    if (signal >= 0 && signal <= SIGRTMAX) return signal;
    throw new ConfigError(`invalid signal: ${text}`);
  }
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const signal = SIGNALS.get(name) ?? realtimeSignal(name);
  if (signal === undefined) throw new ConfigError(`invalid signal: ${text}`);
  return signal;
}
