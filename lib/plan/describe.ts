// Names a plan step the way error messages show it:
// "ts-oci: create c1: mount proc on /proc: EPERM".
import type { PlanOp } from './ops';
import { MS_REMOUNT } from './linux-constants';

const q = (s: string): string => JSON.stringify(s);

export function describeOp(op: PlanOp): string {
  switch (op.op) {
    case 'setns': return `join ${op.ns} namespace ${op.path}`;
    case 'unshare': return `unshare ${op.ns} namespace`;
    case 'procWrite': return `write /proc/${op.path}`;
    case 'rootPropagation': return 'set root mount propagation';
    case 'rootfs': return `prepare rootfs ${op.path}`;
    case 'mount':
      if (op.flags & MS_REMOUNT) return `remount ${op.destination}`;
      return `mount ${op.source || op.fstype} on ${op.destination}`;
    case 'mknod': return `mknod ${op.path}`;
    case 'bindDev': return `bind mount ${op.hostPath} on ${op.path}`;
    case 'symlink': return `symlink ${op.path} -> ${op.target}`;
    case 'sync': return 'run createRuntime hooks';
    case 'hook': return `hook ${op.hook} ${op.path}`;
    case 'pivotRoot': return 'pivot_root';
    case 'chrootMove': return 'move rootfs to / (--no-pivot)';
    case 'mask': return `mask ${op.path}`;
    case 'readonly': return `make ${op.path} read-only`;
    case 'remountRootReadonly': return 'remount / read-only';
    case 'sethostname': return 'sethostname';
    case 'setdomainname': return 'setdomainname';
    case 'rlimit': return `setrlimit ${op.name}`;
    case 'capBounding': return 'drop capabilities from the bounding set';
    case 'keepCaps': return `prctl PR_SET_KEEPCAPS ${op.on ? 1 : 0}`;
    case 'creds': return `set user ${op.uid}:${op.gid}`;
    case 'caps': return 'capset';
    case 'noNewPrivs': return 'prctl PR_SET_NO_NEW_PRIVS';
    case 'umask': return 'umask';
    case 'chdir': return `chdir to cwd ${q(op.path)}`;
    case 'fifoOpen': return `open exec fifo ${op.path}`;
    // runc's phrase, so the helper's detail reads as in runc:
    // 'unable to start container process: exec: "x": executable file not found in $PATH'.
    case 'resolveExec': return 'unable to start container process';
    case 'created': return 'wait for start';
    case 'hookState': return 'prepare hook state';
    case 'exec': return `exec ${q(op.args[0] ?? '')}`;
    case 'seccomp': return op.atExec ? 'prepare seccomp filter' : 'load seccomp filter';
    case 'mkdir': return `create cwd ${q(op.path)}`;
    case 'sessionKeyring': return 'join a new session keyring';
    case 'forkPidns': return 'fork into the joined pid namespace';
    case 'cgroupJoin': return `join cgroup ${op.path.replace(/\/tasks$/, '')}`;
    case 'execSyncMarker': return 'report the execve on the sync socket';
    case 'setnsPidfd': return `join the container's namespaces (${op.ns.join(', ')})`;
    case 'personality': return `set personality 0x${op.persona.toString(16)}`;
    case 'schedSetattr': return 'set scheduler (sched_setattr)';
    case 'ioprioSet': return 'set I/O priority (ioprio_set)';
    case 'setMempolicy': return 'set memory policy (set_mempolicy)';
    case 'schedSetaffinity': return 'set CPU affinity (sched_setaffinity)';
    case 'console': return `set up the terminal from ${op.ptmx}`;
    case 'netdevSetup': return `set up network device ${op.finalName}`;
    case 'copyupOpen': return `open ${q(op.destination)} for tmpcopyup`;
    case 'copyupFill': return `copy the image's ${q(op.destination)} into its tmpfs (tmpcopyup)`;
    case 'fifoFd': return 'open exec fifo';
    case 'usernsRoot': return 'become root in the user namespace';
    case 'mountFd': return `mount idmapped bind on ${q(op.destination)}`;
    case 'credsKeepGroups': return `set user ${op.uid}:${op.gid}`;
  }
}
