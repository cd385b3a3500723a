// Build time only: scripts/warm-code-cache.js runs this in the CLI bundle
// before it writes the bundle's V8 code cache. The cache holds the
// functions that have run, and a CLI create runs its decisions once per
// process, cold: the config's checks, the cgroup files and device program,
// the launch plan and its encoding. This runs them on a config with limits,
// in a temporary bundle and --root (the caller's directory), against this
// host's cgroup layout read from /proc and a made-up cgroup tree; nothing
// is created, written or started outside that directory, and the results
// are thrown away.
import * as fs from 'fs';
import * as path from 'path';
import { defaultSpec } from '../spec/default';
import { loadConfig } from '../spec/load';
import { detectLayout } from '../cgroups/mountinfo';
import { cgroupPids, planCgroupCreate, planCgroupRemove, refuseIfPopulated, selfJoinFiles } from '../cgroups/manager';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import { deviceFilterProgram } from '../cgroups/device-filter';
import type { CgroupReader } from '../cgroups/reader';
import { hostCgroupDirs } from '../runtime/cgroup';
import { buildLaunchPlan } from '../plan/build';
import { encodePlan } from '../plan/encode';
import { probeHostFeatures } from '../plan/host-features';
import { ociState } from '../runtime/oci-state';
import type { ContainerRecord } from '../state/record';
import { createStateDir, readState, removeStateDir, writeState } from '../state/store';

/** A cgroup tree where every file exists and reads empty. */
const emptyTree: CgroupReader = { exists: () => true, read: () => undefined, subdirs: () => [], files: () => [] };

/** Runs the create path's decisions in `tmp` (a directory of the caller's, removed by it). */
export function warmUpCreatePath(tmp: string): void {
  const bundle = path.join(tmp, 'warm-bundle');
  fs.mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
  const spec = defaultSpec({ args: ['true'] });
  spec.linux!.resources = {
    ...spec.linux!.resources,
    memory: { limit: 64 << 20 },
    cpu: { shares: 512, quota: 50000, period: 100000 },
    pids: { limit: 64 },
  };
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
  const { config } = loadConfig(bundle);
  const id = 'ts-oci-warm-up';
  const layout = detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  const { dirs } = hostCgroupDirs(config, id);
  const resources = withAllowedDevices(config.linux?.resources, config.linux?.devices);
  refuseIfPopulated(dirs, emptyTree);
  planCgroupCreate(layout, dirs, resources, { reader: emptyTree });
  cgroupPids(dirs, emptyTree);
  planCgroupRemove(dirs, { reader: emptyTree });
  deviceFilterProgram(resources.devices ?? []);
  const plan = buildLaunchPlan(config, {
    bundle,
    rootfs: path.join(bundle, 'rootfs'),
    statePath: path.join(tmp, 'warm-root', id),
    fifoPath: path.join(tmp, 'warm-root', id, 'exec.fifo'),
    noPivot: false,
    preserveFds: 0,
    hookState: (status) => status,
    cgroup: { v1Mounts: dirs.v1.map((d) => ({ controller: d.controllers.join(','), hostDir: d.path })) },
    host: probeHostFeatures(),
    netDevices: [],
    fifoFd: 4,
    cgroupJoinFds: selfJoinFiles(dirs).map((file, i) => ({ fd: 5 + i, path: file })),
  });
  encodePlan(plan.ops);
  const root = path.join(tmp, 'warm-root');
  const dir = createStateDir(root, id);
  const record = {
    ociVersion: config.ociVersion, id, status: 'created', pid: 1, bundle,
    created: new Date().toISOString(), startTime: 1, startSteps: {}, cgroupDirs: dirs,
  } as unknown as ContainerRecord;
  writeState(dir, record);
  JSON.stringify(ociState(readState(root, id), 'created'));
  removeStateDir(root, id);
}
