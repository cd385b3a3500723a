// config.json mount options -> mount(2) flags, propagation, mount_setattr
// attributes and fs data, with runc's option table
// (libcontainer/specconv/spec_linux.go): an option that is not in any table
// is filesystem data ("mode=755", "size=64k", "newinstance").
import * as K from './linux-constants';

type FlagRule = { clear: boolean; flag: number };

const MOUNT_FLAGS: Readonly<Record<string, FlagRule>> = {
  async: { clear: true, flag: K.MS_SYNCHRONOUS },
  atime: { clear: true, flag: K.MS_NOATIME },
  bind: { clear: false, flag: K.MS_BIND },
  dev: { clear: true, flag: K.MS_NODEV },
  diratime: { clear: true, flag: K.MS_NODIRATIME },
  dirsync: { clear: false, flag: K.MS_DIRSYNC },
  exec: { clear: true, flag: K.MS_NOEXEC },
  iversion: { clear: false, flag: K.MS_I_VERSION },
  lazytime: { clear: false, flag: K.MS_LAZYTIME },
  loud: { clear: true, flag: K.MS_SILENT },
  mand: { clear: false, flag: K.MS_MANDLOCK },
  noatime: { clear: false, flag: K.MS_NOATIME },
  nodev: { clear: false, flag: K.MS_NODEV },
  nodiratime: { clear: false, flag: K.MS_NODIRATIME },
  noexec: { clear: false, flag: K.MS_NOEXEC },
  noiversion: { clear: true, flag: K.MS_I_VERSION },
  nolazytime: { clear: true, flag: K.MS_LAZYTIME },
  nomand: { clear: true, flag: K.MS_MANDLOCK },
  norelatime: { clear: true, flag: K.MS_RELATIME },
  nostrictatime: { clear: true, flag: K.MS_STRICTATIME },
  nosuid: { clear: false, flag: K.MS_NOSUID },
  nosymfollow: { clear: false, flag: K.MS_NOSYMFOLLOW },
  rbind: { clear: false, flag: K.MS_BIND | K.MS_REC },
  relatime: { clear: false, flag: K.MS_RELATIME },
  remount: { clear: false, flag: K.MS_REMOUNT },
  ro: { clear: false, flag: K.MS_RDONLY },
  rw: { clear: true, flag: K.MS_RDONLY },
  silent: { clear: false, flag: K.MS_SILENT },
  strictatime: { clear: false, flag: K.MS_STRICTATIME },
  suid: { clear: true, flag: K.MS_NOSUID },
  sync: { clear: false, flag: K.MS_SYNCHRONOUS },
  symfollow: { clear: true, flag: K.MS_NOSYMFOLLOW },
};

export const PROPAGATION_FLAGS: Readonly<Record<string, number>> = {
  private: K.MS_PRIVATE,
  rprivate: K.MS_PRIVATE | K.MS_REC,
  shared: K.MS_SHARED,
  rshared: K.MS_SHARED | K.MS_REC,
  slave: K.MS_SLAVE,
  rslave: K.MS_SLAVE | K.MS_REC,
  unbindable: K.MS_UNBINDABLE,
  runbindable: K.MS_UNBINDABLE | K.MS_REC,
};

const RECURSIVE_ATTRS: Readonly<Record<string, FlagRule>> = {
  rro: { clear: false, flag: K.MOUNT_ATTR_RDONLY },
  rrw: { clear: true, flag: K.MOUNT_ATTR_RDONLY },
  rnosuid: { clear: false, flag: K.MOUNT_ATTR_NOSUID },
  rsuid: { clear: true, flag: K.MOUNT_ATTR_NOSUID },
  rnodev: { clear: false, flag: K.MOUNT_ATTR_NODEV },
  rdev: { clear: true, flag: K.MOUNT_ATTR_NODEV },
  rnoexec: { clear: false, flag: K.MOUNT_ATTR_NOEXEC },
  rexec: { clear: true, flag: K.MOUNT_ATTR_NOEXEC },
  rnodiratime: { clear: false, flag: K.MOUNT_ATTR_NODIRATIME },
  rdiratime: { clear: true, flag: K.MOUNT_ATTR_NODIRATIME },
  rrelatime: { clear: false, flag: K.MOUNT_ATTR_RELATIME },
  rnorelatime: { clear: true, flag: K.MOUNT_ATTR_RELATIME },
  rnoatime: { clear: false, flag: K.MOUNT_ATTR_NOATIME },
  ratime: { clear: true, flag: K.MOUNT_ATTR_NOATIME },
  rstrictatime: { clear: false, flag: K.MOUNT_ATTR_STRICTATIME },
  rnostrictatime: { clear: true, flag: K.MOUNT_ATTR_STRICTATIME },
  rnosymfollow: { clear: false, flag: K.MOUNT_ATTR_NOSYMFOLLOW },
  rsymfollow: { clear: true, flag: K.MOUNT_ATTR_NOSYMFOLLOW },
};

/** Options that change no mount(2) argument ("defaults" is a no-op in fstab). */
const NO_OP_OPTIONS = new Set(['defaults']);

export interface MountOptions {
  /** MS_* flags for mount(2). */
  flags: number;
  /** MS_* flags the options explicitly cleared ("rw", "suid", ...). */
  clearedFlags: number;
  /** Propagation changes in config order (MS_SHARED/SLAVE/PRIVATE/UNBINDABLE, maybe |MS_REC). */
  propagation: number[];
  /** mount_setattr(AT_RECURSIVE) attr_set / attr_clr. */
  recAttrSet: number;
  recAttrClr: number;
  /** Comma-joined filesystem data. */
  data: string;
  /** "idmap" or "ridmap" was given. */
  idmap: boolean;
  /** "ridmap": the mapping goes on every mount of an rbind, not only its top. */
  recursiveIdmap: boolean;
  /** runc's "tmpcopyup" extension was given. */
  tmpcopyup: boolean;
  /** Names of the recursive options that clear an attribute ("rrw", "rsuid", ...). */
  recursiveClears: string[];
}

function applyRule(rule: FlagRule, set: number, cleared: number): [number, number] {
  return rule.clear ? [set & ~rule.flag, cleared | rule.flag] : [set | rule.flag, cleared & ~rule.flag];
}

export function parseMountOptions(options: readonly string[] | undefined): MountOptions {
  const out: MountOptions = {
    flags: 0, clearedFlags: 0, propagation: [], recAttrSet: 0, recAttrClr: 0,
    data: '', idmap: false, recursiveIdmap: false, tmpcopyup: false, recursiveClears: [],
  };
  const data: string[] = [];
  const own = Object.prototype.hasOwnProperty;
  for (const o of options ?? []) {
    if (own.call(MOUNT_FLAGS, o)) {
      [out.flags, out.clearedFlags] = applyRule(MOUNT_FLAGS[o], out.flags, out.clearedFlags);
    } else if (own.call(PROPAGATION_FLAGS, o)) {
      out.propagation.push(PROPAGATION_FLAGS[o]);
    } else if (own.call(RECURSIVE_ATTRS, o)) {
      const rule = RECURSIVE_ATTRS[o];
      [out.recAttrSet, out.recAttrClr] = applyRule(rule, out.recAttrSet, out.recAttrClr);
      if (rule.clear) out.recursiveClears.push(o);
      // mount_setattr(2): an access-time mode in attr_set also needs
      // MOUNT_ATTR__ATIME in attr_clr, or the kernel says EINVAL.
      else if ((rule.flag & K.MOUNT_ATTR__ATIME) === rule.flag) out.recAttrClr |= K.MOUNT_ATTR__ATIME;
    } else if (o === 'idmap' || o === 'ridmap') {
      out.idmap = true;
      if (o === 'ridmap') out.recursiveIdmap = true;
    } else if (o === 'tmpcopyup') {
      out.tmpcopyup = true;
    } else if (!NO_OP_OPTIONS.has(o)) {
      data.push(o);
    }
  }
  out.data = data.join(',');
  return out;
}

/**
 * The option names this runtime applies (`features` output). Not yet among
 * them: tmpcopyup, and the recursive clears (rrw, rsuid...), because the
 * plan's MOUNT op carries only mount_setattr's attr_set.
 */
export function knownMountOptions(): string[] {
  const recursiveSets = Object.keys(RECURSIVE_ATTRS).filter((o) => !RECURSIVE_ATTRS[o].clear);
  return [...Object.keys(MOUNT_FLAGS), ...Object.keys(PROPAGATION_FLAGS), ...recursiveSets, 'defaults', 'idmap', 'ridmap'].sort();
}
