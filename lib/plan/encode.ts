// Binary encoding of a plan for native/init (format: native/common/protocol.h).
// Lengths are 32-bit and bounded on both sides (CVE-2021-43784 was a 16-bit
// length overflow in runc's equivalent message).
import { OpKind, PLAN_VERSION, PlanOp } from './ops';

export const MAX_STRING = 1 << 20;
export const MAX_PLAN = 16 << 20;

type Arg = { i: bigint } | { s: Buffer };

const int = (v: number | bigint | boolean): Arg => ({ i: BigInt.asIntN(64, BigInt(v)) });
const str = (v: string | Buffer): Arg => {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  if (b.length > MAX_STRING) throw new RangeError(`plan field longer than ${MAX_STRING} bytes`);
  if (typeof v === 'string' && v.includes('\0')) throw new RangeError('plan field contains a NUL byte');
  return { s: b };
};
const list = (items: string[]): Arg[] => [int(items.length), ...items.map(str)];

export function opArgs(op: PlanOp): [OpKind, Arg[]] {
  switch (op.op) {
    case 'setns': return [OpKind.SETNS, [str(op.path), int(op.nstype)]];
    case 'unshare': return [OpKind.UNSHARE, [int(op.flags)]];
    case 'procWrite': return [OpKind.PROC_WRITE, [str(op.path), str(op.value)]];
    case 'rootPropagation': return [OpKind.ROOT_PROPAGATION, [int(op.flags)]];
    case 'rootfs': return [OpKind.ROOTFS, [str(op.path)]];
    case 'mount':
      return [OpKind.MOUNT, [str(op.source), str(op.destination), str(op.fstype), int(op.flags),
        str(op.data), int(op.propagation), int(op.recAttrSet)]];
    case 'mknod':
      return [OpKind.MKNOD, [str(op.path), int(op.type), int(op.mode), int(op.major), int(op.minor),
        int(op.uid), int(op.gid)]];
    case 'bindDev': return [OpKind.BIND_DEV, [str(op.path), str(op.hostPath)]];
    case 'symlink': return [OpKind.SYMLINK, [str(op.target), str(op.path)]];
    case 'sync': return [OpKind.SYNC, [int(op.tag)]];
    case 'hook': return [OpKind.HOOK, [str(op.path), int(op.timeout), ...list(op.args), ...list(op.env)]];
    case 'pivotRoot': return [OpKind.PIVOT_ROOT, []];
    case 'chrootMove': return [OpKind.CHROOT_MOVE, []];
    case 'mask': return [OpKind.MASK, [str(op.path)]];
    case 'readonly': return [OpKind.READONLY, [str(op.path)]];
    case 'remountRootReadonly': return [OpKind.REMOUNT_ROOT_RO, []];
    case 'sethostname': return [OpKind.SETHOSTNAME, [str(op.name)]];
    case 'setdomainname': return [OpKind.SETDOMAINNAME, [str(op.name)]];
    case 'rlimit': return [OpKind.RLIMIT, [int(op.resource), int(op.soft), int(op.hard)]];
    case 'capBounding': return [OpKind.CAP_BOUNDING, [int(op.keep)]];
    case 'keepCaps': return [OpKind.KEEPCAPS, [int(op.on)]];
    case 'creds':
      return [OpKind.CREDS, [int(op.uid), int(op.gid), int(op.groups.length), ...op.groups.map(int)]];
    case 'caps':
      return [OpKind.CAPS, [int(op.effective), int(op.permitted), int(op.inheritable), int(op.ambient)]];
    case 'noNewPrivs': return [OpKind.NO_NEW_PRIVS, []];
    case 'umask': return [OpKind.UMASK, [int(op.mask)]];
    case 'chdir': return [OpKind.CHDIR, [str(op.path)]];
    case 'fifoOpen': return [OpKind.FIFO_OPEN, [str(op.path)]];
    case 'resolveExec': return [OpKind.RESOLVE_EXEC, [str(op.file), str(op.pathEnv)]];
    case 'created': return [OpKind.CREATED, []];
    case 'hookState': return [OpKind.HOOK_STATE, [str(op.json)]];
    case 'exec': return [OpKind.EXEC, [...list(op.args), ...list(op.env), int(op.preserveFds)]];
    case 'seccomp': return [OpKind.SECCOMP, [str(op.bpf), int(op.flags), int(op.atExec)]];
    case 'mkdir': return [OpKind.MKDIR, [str(op.path)]];
    case 'sessionKeyring': return [OpKind.SESSION_KEYRING, []];
    case 'forkPidns': return [OpKind.FORK_PIDNS, []];
    case 'cgroupJoin': return [OpKind.CGROUP_JOIN, [int(op.fd), str(op.path)]];

    // 40-49: seccomp

    // 50-59: process and linux settings
    case 'personality': return [OpKind.PERSONALITY, [int(op.persona)]];
    case 'schedSetattr':
      return [OpKind.SCHED_SETATTR, [int(op.policy), int(op.flags), int(op.nice), int(op.priority),
        int(op.runtime), int(op.deadline), int(op.period)]];
    case 'ioprioSet': return [OpKind.IOPRIO_SET, [int(op.prio)]];
    case 'setMempolicy': return [OpKind.SET_MEMPOLICY, [int(op.mode), int(op.nodemask.length), ...op.nodemask.map(int)]];
    case 'schedSetaffinity': return [OpKind.SCHED_SETAFFINITY, [int(op.cpumask.length), ...op.cpumask.map(int)]];
    case 'netdevSetup': return [OpKind.NETDEV_SETUP, [str(op.name), str(op.finalName), str(op.addresses)]];

    // 60-69: hardening and completion of existing steps
    case 'copyupOpen': return [OpKind.COPYUP_OPEN, [str(op.destination)]];
    case 'copyupFill': return [OpKind.COPYUP_FILL, [str(op.destination)]];

    // 70-79: exec into a running container
    case 'setnsPidfd': return [OpKind.SETNS_PIDFD, [int(op.fd), int(op.nstype)]];
    case 'execSyncMarker': return [OpKind.EXEC_SYNC_MARKER, []];

    // 80-89: terminals
    case 'console': return [OpKind.CONSOLE, [str(op.ptmx), str(op.console), int(op.rows), int(op.cols), int(op.uid)]];

    // 90-99: user namespaces and idmapped mounts
    case 'fifoFd': return [OpKind.FIFO_FD, [int(op.fd)]];
    case 'usernsRoot': return [OpKind.USERNS_ROOT, []];
    case 'mountFd':
      return [OpKind.MOUNT_FD, [int(op.fd), str(op.destination), int(op.flags), int(op.propagation), int(op.recAttrSet)]];
    case 'credsKeepGroups': return [OpKind.CREDS_KEEP_GROUPS, [int(op.uid), int(op.gid)]];

  }
}

/**
 * One growing buffer for the whole plan: a plan is a few hundred small
 * fields, and a Buffer per field (then one concat) cost ~5 ms of a CLI
 * start in allocation and copies.
 */
class PlanWriter {
  private buf = Buffer.allocUnsafe(16 * 1024);
  private len = 0;

  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  u16(v: number): void {
    this.buf.writeUInt16LE(v, this.reserve(2));
  }

  u32(v: number): void {
    this.buf.writeUInt32LE(v, this.reserve(4));
  }

  arg(a: Arg): void {
    if ('i' in a) {
      const at = this.reserve(9);
      this.buf[at] = 0x69; // 'i'
      this.buf.writeBigInt64LE(a.i, at + 1);
      return;
    }
    const at = this.reserve(5 + a.s.length);
    this.buf[at] = 0x73; // 's'
    this.buf.writeUInt32LE(a.s.length, at + 1);
    a.s.copy(this.buf, at + 5);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** Encodes the plan payload carried by a FRAME_PLAN. */
export function encodePlan(ops: readonly PlanOp[]): Buffer {
  const w = new PlanWriter();
  w.u32(PLAN_VERSION);
  w.u32(ops.length);
  for (const op of ops) {
    const [kind, args] = opArgs(op);
    w.u16(kind);
    w.u16(args.length);
    for (const a of args) w.arg(a);
  }
  const out = w.bytes();
  if (out.length > MAX_PLAN) throw new RangeError(`plan larger than ${MAX_PLAN} bytes`);
  return out;
}
