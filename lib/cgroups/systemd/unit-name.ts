// linux.cgroupsPath under the systemd driver, read as runc reads it
// (libcontainer/specconv and cgroups/systemd): "slice:prefix:name" makes
// the transient unit "<prefix>-<name>.scope" in <slice>; an unset path is
// ":ts-oci:<id>" (runc uses its own name as the prefix); an empty slice is
// system.slice. systemd writes slices as dash-joined paths: "a-b.slice" is
// /a.slice/a-b.slice, "-.slice" is the root.
import { ConfigError } from '../../errors';

const FIELD = 'linux.cgroupsPath';
export const DEFAULT_SLICE = 'system.slice';
export const DEFAULT_SCOPE_PREFIX = 'ts-oci';

export interface SystemdUnit {
  /** The parent slice unit, e.g. "system.slice". */
  slice: string;
  /** The transient scope unit, e.g. "docker-<id>.scope". */
  unit: string;
  /** The scope's cgroup below a hierarchy's root: "/system.slice/docker-<id>.scope". */
  cgroupPath: string;
}

/** systemd's unit name alphabet (unit_name_is_valid): no "/", no spaces, at most 255 bytes. */
const UNIT_CHARS = /^[A-Za-z0-9:_.\\-]+$/;

function invalidSlice(slice: string): ConfigError {
  return new ConfigError(`invalid slice name: ${slice}`, undefined, FIELD);
}

/** runc's ExpandSlice: "test-a-b.slice" → "/test.slice/test-a.slice/test-a-b.slice". */
export function expandSlice(slice: string): string {
  const suffix = '.slice';
  if (!slice.endsWith(suffix) || slice.includes('/')) throw invalidSlice(slice);
  const name = slice.slice(0, -suffix.length);
  if (name === '-') return '/';
  let out = '';
  let prefix = '';
  for (const component of name.split('-')) {
    // "test--a.slice" and "-test.slice" are refused, as systemd refuses them.
    if (component === '') throw invalidSlice(slice);
    out += `/${prefix}${component}${suffix}`;
    prefix += `${component}-`;
  }
  return out;
}

function checkPart(value: string, what: string): void {
  // A "/" would walk the cgroup path out of the slice; systemd refuses it in a unit name too.
  if (value.includes('/')) throw new ConfigError(`invalid cgroupsPath: the ${what} ${JSON.stringify(value)} contains "/"`, undefined, FIELD);
}

/** The scope for a container: cgroupsPath "slice:prefix:name", or ":ts-oci:<id>" when unset. */
export function systemdUnitFor(cgroupsPath: string | undefined, id: string): SystemdUnit {
  let slice = '';
  let prefix = DEFAULT_SCOPE_PREFIX;
  let name = id;
  if (cgroupsPath) {
    const parts = cgroupsPath.split(':');
    if (parts.length !== 3) {
      // runc's words; a cgroupfs path ("/a/b") under this driver lands here.
      throw new ConfigError(
        `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got ${JSON.stringify(cgroupsPath)} instead`,
        undefined,
        FIELD,
      );
    }
    [slice, prefix, name] = parts;
  }
  checkPart(slice, 'slice');
  checkPart(prefix, 'prefix');
  checkPart(name, 'name');
  if (name === '') throw new ConfigError('invalid cgroupsPath: the unit name part is empty', undefined, FIELD);
  // runc would ask systemd for a slice unit here, which cannot hold the container's processes.
  if (name.endsWith('.slice')) throw new ConfigError(`invalid cgroupsPath: ${JSON.stringify(name)}: a container's unit is a scope, not a slice`, undefined, FIELD);
  const parent = slice || DEFAULT_SLICE;
  const slicePath = expandSlice(parent);
  const unit = `${prefix}-${name}.scope`;
  if (!UNIT_CHARS.test(unit) || Buffer.byteLength(unit) > 255) {
    throw new ConfigError(`invalid cgroupsPath: ${JSON.stringify(unit)} is not a valid systemd unit name`, undefined, FIELD);
  }
  return { slice: parent, unit, cgroupPath: `${slicePath === '/' ? '' : slicePath}/${unit}` };
}
