/// <reference lib="es2018.asyncgenerator" preserve="true" />
// The library API: a typed Container lifecycle over the same runtime calls
// the CLI makes. A container created in this process is our child, so
// wait() can report its exit status (through its pidfd, no polling).
import * as path from 'path';
import type { ExitStatus } from './native';
import { CreateOptions, defaultRoot, RuntimeContext } from './runtime/context';
import type { ContainerState as OciState } from './spec/state-types';
import type { Signal } from './signal-names';
import type { ContainerTerminal } from './terminal-types';
import type { TerminalStream } from './runtime/terminal-stream';
import type { ExecOptions, ExecProcess, ExecProcessInput } from './exec-process';
import type { Resources } from './spec/types';
import type { ContainerEvent, ContainerStats } from './cgroups/stats-types';
import { withRootHint } from './root-hint';
import { ConfigError } from './errors';

/** Receives what the runtime reports without failing (a poststop hook that failed, a cleanup problem). */
export type WarningHandler = (message: string) => void;

export interface ContainerCreateOptions extends Omit<CreateOptions, 'keepConsole'> {
  /** State root (default /run/ts-oci, or $XDG_RUNTIME_DIR/ts-oci for an ordinary user, like the CLI). */
  root?: string;
  /** Where warnings go; default: process.emitWarning(message, 'TsOciWarning'). */
  onWarning?: WarningHandler;
  /**
   * With `process.terminal`: a unix socket that receives the pty master
   * (as the CLI's --console-socket); without it the master is `container.terminal`.
   */
  consoleSocket?: string;
  /** A unix socket that receives a pidfd of the init (as --pidfd-socket). */
  pidfdSocket?: string;
  /** 'systemd': the container's cgroup is a transient systemd scope (as the CLI's --systemd-cgroup); default 'cgroupfs'. */
  cgroupManager?: 'cgroupfs' | 'systemd';
}

export interface LoadOptions {
  root?: string;
  /** As in ContainerCreateOptions. */
  onWarning?: WarningHandler;
}

export type { Signal };

export class Container {
  private pidfd = -1;
  private exit?: Promise<ExitStatus | null>;
  private pty?: TerminalStream;

  private constructor(
    readonly id: string,
    private readonly ctx: RuntimeContext,
  ) {}

  // The static entry points say when a failure means "not root" (lib/root-hint.ts).
  /** Creates the container (config.json applied, process not started yet). */
  static async create(options: ContainerCreateOptions): Promise<Container> {
    return withRootHint(async () => {
      const { createContainer } = await import('./runtime/create');
      const ctx = { ...context(options), cgroupManager: cgroupDriver(options.cgroupManager) };
      const { root: _root, onWarning: _onWarning, cgroupManager: _driver, ...createOptions } = options;
      const { pidfd, console } = await createContainer(ctx, {
        ...createOptions,
        bundle: path.resolve(options.bundle),
        // No console socket: the caller reads the terminal through `container.terminal`.
        keepConsole: !options.consoleSocket,
      });
      const c = new Container(options.id, ctx);
      c.pidfd = pidfd;
      if (console) {
        const { TerminalStream } = await import('./runtime/terminal-stream');
        c.pty = new TerminalStream(console);
      }
      return c;
    });
  }

  /**
   * The container's terminal (its pty master) when config.json asks for one
   * and no consoleSocket was given: a Duplex stream of what the process
   * writes to and reads from its terminal, with resize(cols, rows). It ends
   * once every process in the container has closed the terminal.
   */
  get terminal(): ContainerTerminal | undefined {
    return this.pty;
  }

  /** A handle on an existing container; fails with "does not exist" when there is none. */
  static async load(id: string, options: LoadOptions = {}): Promise<Container> {
    return withRootHint(async () => {
      const { containerState } = await import('./runtime/query');
      const ctx = context(options);
      containerState(ctx, id);
      return new Container(id, ctx);
    });
  }

  static async list(options: LoadOptions = {}): Promise<OciState[]> {
    return withRootHint(async () => {
      const { listContainers } = await import('./runtime/query');
      return listContainers(context(options));
    });
  }

  async start(): Promise<void> {
    const { startContainer } = await import('./runtime/start');
    await startContainer(this.ctx, this.id, this.pidfd);
  }

  async state(): Promise<OciState> {
    const { containerState } = await import('./runtime/query');
    return containerState(this.ctx, this.id);
  }

  async kill(signal: Signal = 'SIGTERM', options: { all?: boolean } = {}): Promise<void> {
    const { parseSignal } = await import('./signals');
    const { killContainer } = await import('./runtime/kill');
    await killContainer(this.ctx, this.id, parseSignal(String(signal)), !!options.all);
  }

  /**
   * Runs one more process in the container, as `ts-oci exec`: it joins
   * every namespace and the cgroup of the init and gets the container's
   * process settings with the given fields on top (`env` entries are added,
   * overriding same-named ones; `user` is merged). Resolves once it runs.
   */
  async exec(process: ExecProcessInput, options: ExecOptions = {}): Promise<ExecProcess> {
    const { execForLibrary } = await import('./runtime/exec-library');
    return execForLibrary(this.ctx, this.id, process, options);
  }

  /** Freezes every process of the container (cgroup freezer); resolves once they are frozen. */
  async pause(): Promise<void> {
    const { pauseContainer } = await import('./runtime/pause');
    await pauseContainer(this.ctx, this.id);
  }

  /** Thaws a paused container. */
  async resume(): Promise<void> {
    const { resumeContainer } = await import('./runtime/pause');
    await resumeContainer(this.ctx, this.id);
  }

  /** The host pids of every process in the container's cgroup (the init, exec'd processes, their children). */
  async processes(): Promise<number[]> {
    const { containerPids } = await import('./runtime/ps');
    return containerPids(this.ctx, this.id);
  }

  /**
   * New linux.resources values, merged over the current ones (object
   * sections field by field; `devices` and `hugepageLimits` replaced) and
   * saved, as `ts-oci update -r`.
   */
  async update(resources: Resources): Promise<void> {
    const { updateContainer } = await import('./runtime/update');
    await updateContainer(this.ctx, this.id, resources);
  }

  /** Resource usage now, named as runc's `events --stats` data (cpu.usage.total, memory.usage.usage...). */
  async stats(): Promise<ContainerStats> {
    const { statsEvent } = await import('./runtime/events');
    const { statsAsNumbers } = await import('./cgroups/stats');
    return statsAsNumbers(statsEvent(this.ctx, this.id).data) as ContainerStats;
  }

  /**
   * Stats every `interval` ms (default 5000) and an `oom` event whenever the
   * kernel OOM-kills in the container; ends when the container stops
   * (`break` out of the loop to stop earlier).
   */
  async *events(options: { interval?: number } = {}): AsyncGenerator<ContainerEvent> {
    const { containerEvents } = await import('./runtime/events');
    const { statsAsNumbers } = await import('./cgroups/stats');
    for await (const e of containerEvents(this.ctx, this.id, { interval: options.interval })) {
      yield e.type === 'stats' ? { ...e, data: statsAsNumbers(e.data) as ContainerStats } : e;
    }
  }

  /**
   * Resolves when the init exits: with its exit status (128+signal when
   * killed) if this process created it, else null (only the parent can reap).
   */
  wait(): Promise<number | null> {
    if (!this.exit) this.exit = this.watchExit();
    return this.exit.then((s) => (s ? s.status : null));
  }

  async delete(options: { force?: boolean } = {}): Promise<void> {
    const { deleteContainer } = await import('./runtime/delete');
    await deleteContainer(this.ctx, this.id, { force: options.force, pidfd: this.pidfd >= 0 ? this.pidfd : undefined });
    // Keep the status delete reaped, so wait() after delete() still reports it.
    if (!this.exit && this.pidfd >= 0) this.exit = this.watchExit();
    if (this.exit) await this.exit;
    await this.closeTerminal();
    this.release();
  }

  /**
   * After delete nothing holds the terminal's other end: one being read
   * ends by itself once its last output is read; one nobody reads is closed.
   */
  private async closeTerminal(): Promise<void> {
    const t = this.pty;
    if (!t || t.closed) return;
    if (!t.readableFlowing) {
      t.destroy();
      return;
    }
    await new Promise<void>((resolve) => t.once('close', () => resolve()));
  }

  private async watchExit(): Promise<ExitStatus | null> {
    const { waitForExit } = await import('./runtime/destroy');
    if (this.pidfd >= 0) return waitForExit(this.pidfd);
    const { readState } = await import('./state/store');
    const { tryOpenInitPidfd } = await import('./runtime/init-process');
    const fd = tryOpenInitPidfd(readState(this.ctx.root, this.id));
    if (fd < 0) return null;
    const { closePidfd } = await import('./runtime/destroy');
    try {
      return await waitForExit(fd);
    } finally {
      closePidfd(fd);
    }
  }

  private release(): void {
    if (this.pidfd >= 0) require('./runtime/destroy').closePidfd(this.pidfd);
    this.pidfd = -1;
  }
}

const emitWarning: WarningHandler = (message) => process.emitWarning(message, 'TsOciWarning');

function cgroupDriver(value: unknown): 'cgroupfs' | 'systemd' {
  if (value === undefined || value === 'cgroupfs' || value === 'systemd') return value ?? 'cgroupfs';
  throw new ConfigError(`invalid cgroupManager ${JSON.stringify(value)}: use 'cgroupfs' or 'systemd'`);
}

function context(options: LoadOptions): RuntimeContext {
  return { root: path.resolve(options.root ?? defaultRoot()), warn: options.onWarning ?? emitWarning };
}
