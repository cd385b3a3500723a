// What ts-oci does with every field of config.json (runtime spec v1.3.0,
// Linux): applied, applied where the host can (refused elsewhere), or
// refused with one line naming the field. No field that affects isolation
// is ignored. An entry decides its own field; a `tree` entry also decides
// everything below it unless a deeper entry says otherwise. test/unit/spec/field-support.test.js checks
// that every field of schema/*.json is covered; docs/config-fields.md is
// generated from this table (scripts/gen-field-table.js).

export type FieldSupport =
  /** Always applied. */
  | 'applied'
  /** Applied where the host has what it needs, else the create is refused naming the field. */
  | 'host'
  /** The create is refused naming the field (when the field is set). */
  | 'refused'
  /** Defined by the spec for another platform only; has no meaning on Linux. */
  | 'not linux';

export interface FieldEntry {
  field: string;
  support: FieldSupport;
  note: string;
  /** The entry also decides every field below it (unless a deeper entry exists). */
  tree?: boolean;
}

const e = (field: string, support: FieldSupport, note = ''): FieldEntry => ({ field, support, note });
const tree = (field: string, support: FieldSupport, note = ''): FieldEntry => ({ field, support, note, tree: true });

const RESOURCES: FieldEntry[] = [
  e('linux.resources', 'applied', 'cgroupfs writes per controller, on v1, v2 and hybrid hosts'),
  tree('linux.resources.devices', 'applied', 'v1 devices.allow/deny; on cgroup2 an eBPF device program (BPF_PROG_TYPE_CGROUP_DEVICE) attached before the init enters the cgroup; hybrid hosts get both'),
  e('linux.resources.memory', 'applied'),
  e('linux.resources.memory.limit', 'applied', 'memory.limit_in_bytes / memory.max'),
  e('linux.resources.memory.reservation', 'applied', 'memory.soft_limit_in_bytes / memory.low'),
  e('linux.resources.memory.swap', 'applied', 'v1 memsw (where swap accounting exists), v2 swap.max = swap - limit'),
  e('linux.resources.memory.swappiness', 'host', 'v1 memory.swappiness; refused on v2 (no such file), as crun does'),
  e('linux.resources.memory.disableOOMKiller', 'host', 'v1 memory.oom_control; `true` is refused on v2 (no such switch), as crun does'),
  e('linux.resources.memory.kernel', 'refused', 'kernel memory limits are gone from the kernel (runc ignores them with a warning)'),
  e('linux.resources.memory.kernelTCP', 'host', 'v1 memory.kmem.tcp.limit_in_bytes; refused on v2 (no such limit)'),
  e('linux.resources.memory.useHierarchy', 'applied', 'always on in the kernel; `false` is refused'),
  e('linux.resources.memory.checkBeforeUpdate', 'applied', 'a check for `update`; a new cgroup has no usage to check'),
  e('linux.resources.cpu', 'applied'),
  e('linux.resources.cpu.shares', 'applied', 'cpu.shares / cpu.weight (runc\'s conversion)'),
  e('linux.resources.cpu.quota', 'applied', 'cpu.cfs_quota_us / cpu.max'),
  e('linux.resources.cpu.period', 'applied', 'cpu.cfs_period_us / cpu.max'),
  e('linux.resources.cpu.cpus', 'applied', 'cpuset.cpus'),
  e('linux.resources.cpu.mems', 'applied', 'cpuset.mems'),
  e('linux.resources.cpu.realtimePeriod', 'host', 'v1 cpu.rt_period_us (CONFIG_RT_GROUP_SCHED); refused on v2'),
  e('linux.resources.cpu.realtimeRuntime', 'host', 'v1 cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED); refused on v2'),
  e('linux.resources.cpu.burst', 'host', 'cpu.cfs_burst_us / cpu.max.burst where the kernel has it, else refused'),
  e('linux.resources.cpu.idle', 'host', 'cpu.idle where the kernel has it, else refused'),
  e('linux.resources.pids', 'applied'),
  e('linux.resources.pids.limit', 'applied', 'pids.max (negative = max, 0 is a limit)'),
  tree('linux.resources.blockIO', 'host', 'v1 blkio.* / v2 io.*; a file the host lacks (blkio.weight without CFQ or BFQ) refuses the field'),
  e('linux.resources.blockIO.leafWeight', 'host', 'v1 blkio.leaf_weight (CFQ only); refused on v2'),
  e('linux.resources.blockIO.weightDevice[].leafWeight', 'host', 'v1 blkio.leaf_weight_device (CFQ only); refused on v2'),
  tree('linux.resources.hugepageLimits', 'host', 'hugetlb.<size>.limit_in_bytes (v1) / .max (v2); refused where the hugetlb controller or the page size is missing'),
  tree('linux.resources.network', 'host', 'v1 net_cls.classid and net_prio.ifpriomap where mounted; refused elsewhere and on v2'),
  tree('linux.resources.rdma', 'host', 'rdma.max where the rdma controller exists, else refused'),
  e('linux.resources.unified', 'host', 'raw cgroup v2 files; refused on cgroup v1'),
];

const PROCESS: FieldEntry[] = [
  e('process', 'applied', 'required to create a container'),
  e('process.terminal', 'applied', 'a pty from the container\'s own devpts: controlling terminal, fds 0-2 and /dev/console; the master goes to --console-socket or to the caller'),
  tree('process.consoleSize', 'applied', 'TIOCSWINSZ when both are set (at most 65535); only meaningful with a terminal'),
  e('process.args', 'applied', 'execve after a PATH lookup in the container'),
  e('process.commandLine', 'not linux', 'Windows only (args is the command on Linux)'),
  e('process.env', 'applied'),
  e('process.cwd', 'applied', 'created if missing, verified after chdir'),
  e('process.user', 'applied'),
  e('process.user.uid', 'applied', 'setresuid'),
  e('process.user.gid', 'applied', 'setresgid'),
  e('process.user.umask', 'applied'),
  e('process.user.additionalGids', 'applied', 'setgroups'),
  e('process.user.username', 'not linux', 'Windows only'),
  tree('process.capabilities', 'applied', 'bounding, effective, permitted, inheritable and ambient sets'),
  tree('process.rlimits', 'applied', 'prlimit(2)'),
  e('process.noNewPrivileges', 'applied', 'PR_SET_NO_NEW_PRIVS'),
  e('process.oomScoreAdj', 'applied', '/proc/self/oom_score_adj'),
  e('process.apparmorProfile', 'host', 'written to the exec attribute before the capabilities are dropped; refused when AppArmor is not enabled (as runc and crun)'),
  e('process.selinuxLabel', 'host', 'written to /proc/thread-self/attr/exec; refused when SELinux is disabled (runc\'s validator does the same)'),
  e('process.scheduler', 'applied', 'sched_setattr(2) before the capabilities are dropped, with runc\'s checks'),
  e('process.scheduler.policy', 'applied', 'SCHED_ISO is refused (reserved, not implemented by Linux)'),
  e('process.scheduler.nice', 'applied', '-20..19'),
  e('process.scheduler.priority', 'applied', 'SCHED_FIFO and SCHED_RR only'),
  e('process.scheduler.flags', 'applied'),
  e('process.scheduler.runtime', 'applied', 'SCHED_DEADLINE only'),
  e('process.scheduler.deadline', 'applied', 'SCHED_DEADLINE only'),
  e('process.scheduler.period', 'applied', 'SCHED_DEADLINE only'),
  e('process.ioPriority', 'applied', 'ioprio_set(2)'),
  e('process.ioPriority.class', 'applied', 'RT, BE or IDLE'),
  e('process.ioPriority.priority', 'applied', '0 (highest) to 7'),
  e('process.execCPUAffinity', 'applied', 'for `exec` only (the spec: not applicable to the init); create checks the CPU lists'),
  e('process.execCPUAffinity.initial', 'applied', 'exec: used when `final` is absent (the exec helper is born in the container\'s cgroup, so there is no earlier point)'),
  e('process.execCPUAffinity.final', 'applied', 'exec: sched_setaffinity once the helper is in the container\'s cgroup and namespaces'),
];

const LINUX: FieldEntry[] = [
  e('linux', 'applied'),
  tree('linux.namespaces', 'applied', 'clone3 flags (a new user namespace first, so it owns the rest), or setns by path (a joined user namespace after the others, then the new ones unshared inside it)'),
  tree('linux.uidMappings', 'applied', 'written to the held init\'s uid_map by the runtime (newuidmap beyond the caller\'s own id when not root); must map container uid 0'),
  tree('linux.gidMappings', 'applied', 'written to gid_map (newgidmap when not root; setgroups deny for an unprivileged caller mapping only its own gid); must map container gid 0'),
  tree('linux.timeOffsets', 'applied', '/proc/self/timens_offsets of a new time namespace'),
  tree('linux.devices', 'applied', 'mknod (or bind from the host when mknod is not permitted) and cgroup allow rules'),
  tree('linux.netDevices', 'applied', 'moved into the container\'s private network namespace after clone (RTM_NEWLINK with IFLA_NET_NS_FD), renamed (a "%d" template by the kernel), permanent global addresses added back, brought up; not moved back (the spec forbids it: the kernel returns physical devices and destroys virtual ones with the namespace)'),
  e('linux.cgroupsPath', 'applied', 'runc\'s cgroupfs rules; `slice:prefix:name` under the systemd driver'),
  ...RESOURCES,
  tree('linux.intelRdt', 'refused', 'refused when resctrl is absent, and not supported yet where it exists'),
  e('linux.memoryPolicy', 'applied', 'set_mempolicy(2)'),
  e('linux.memoryPolicy.mode', 'applied'),
  e('linux.memoryPolicy.nodes', 'applied', 'node list, checked against the mode'),
  e('linux.memoryPolicy.flags', 'applied', 'MPOL_F_* mode flags'),
  e('linux.sysctl', 'applied', 'through a private procfs, only sysctls of the container\'s own namespaces'),
  tree('linux.seccomp', 'applied', 'compiled with libseccomp (loaded at run time), loaded by the helper as late as the kernel allows; a profile that cannot be compiled or loaded refuses the create'),
  e('linux.rootfsPropagation', 'applied'),
  e('linux.maskedPaths', 'applied'),
  e('linux.readonlyPaths', 'applied'),
  e('linux.mountLabel', 'host', 'context= on the container\'s own filesystems; refused when SELinux is disabled (the kernel would reject context=)'),
  e('linux.personality', 'applied', 'personality(2) just before the wait for start'),
  e('linux.personality.domain', 'applied', 'LINUX or LINUX32'),
  e('linux.personality.flags', 'refused', 'the spec defines no flag values yet'),
];

export const FIELD_SUPPORT: readonly FieldEntry[] = [
  e('ociVersion', 'applied', 'major version 1'),
  e('root', 'applied'),
  e('root.path', 'applied', 'pivot_root (or --no-pivot)'),
  e('root.readonly', 'applied', 'read-only remount of /'),
  e('mounts', 'applied', 'in config order, resolved in-root'),
  e('mounts[].destination', 'applied'),
  e('mounts[].source', 'applied'),
  e('mounts[].type', 'applied'),
  e('mounts[].options', 'applied', 'runc\'s option table; unknown options refused; tmpcopyup copies the image\'s directory into a tmpfs (refused on other types)'),
  tree('mounts[].uidMappings', 'applied', 'idmapped bind: the runtime clones the source (open_tree) and sets MOUNT_ATTR_IDMAP with a user namespace carrying this mapping; `idmap` alone takes the container\'s; refused where the filesystem cannot be idmapped'),
  tree('mounts[].gidMappings', 'applied', 'with uidMappings (both or neither)'),
  e('hostname', 'applied', 'needs a private UTS namespace'),
  e('domainname', 'applied', 'needs a private UTS namespace'),
  tree('hooks', 'applied', 'all six kinds, with timeouts'),
  e('annotations', 'applied', 'kept in the state; `org.systemd.property.*` are unit properties under the systemd driver'),
  ...PROCESS,
  ...LINUX,
  tree('solaris', 'refused', 'another platform: ts-oci runs Linux containers'),
  tree('windows', 'refused', 'another platform: ts-oci runs Linux containers'),
  tree('zos', 'refused', 'another platform: ts-oci runs Linux containers'),
  tree('freebsd', 'refused', 'another platform: ts-oci runs Linux containers'),
  tree('vm', 'refused', 'virtual-machine-based containers: a namespace container would be weaker isolation than asked'),
];

/** The entry that decides a field: its own, else its nearest ancestor's that is a tree. */
export function fieldSupport(field: string): FieldEntry | undefined {
  const own = FIELD_SUPPORT.find((x) => x.field === field);
  if (own) return own;
  for (let f = parentField(field); f; f = parentField(f)) {
    const entry = FIELD_SUPPORT.find((x) => x.field === f && x.tree);
    if (entry) return entry;
  }
  return undefined;
}

/** "a.b[].c" → "a.b[]" → "a.b" → "a" → undefined; ".*" is a map key. */
export function parentField(field: string): string | undefined {
  if (field.endsWith('[]')) return field.slice(0, -2);
  const dot = field.lastIndexOf('.');
  return dot < 0 ? undefined : field.slice(0, dot);
}
