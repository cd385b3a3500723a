'use strict';
// The Kubernetes path: containerd's CRI plugin runs a pod whose
// runtime_handler is "ts-oci" (what a RuntimeClass with handler: ts-oci
// sends), so the runc shim gets BinaryName = ts-oci from containerd's own
// config (test/helpers/containerd.js, the table README shows). The suite
// is the kubelet: a CRI client over containerd's socket. Then the same
// `ctr task` scenarios as for --runc-binary run on a CRI container.
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { Containerd, CRI_NAMESPACE, HANDLER, IMAGE } = require('../helpers/containerd');
const { CriClient } = require('../helpers/cri');
const { describeTaskScenarios, until } = require('../helpers/containerd-tasks');
const { bin } = require('../helpers/engine-image');

describe('engines: containerd\'s CRI plugin drives ts-oci (the configured runtime, as Kubernetes does)', function () {
  const NAMESPACES = { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' };
  let ctrd;
  let cri;
  let sandboxConfig;
  let podId;
  let cgroupParent;
  const ids = [];
  let counter = 0;

  async function createContainer(cmd, extra = {}) {
    const name = `c${++counter}`;
    const { container_id: id } = await cri.call('CreateContainer', {
      pod_sandbox_id: podId,
      sandbox_config: sandboxConfig,
      config: {
        metadata: { name },
        image: { image: IMAGE },
        command: cmd,
        log_path: `${name}.log`,
        // A pid namespace of the container's own, as the kubelet asks for a v1 Pod's.
        linux: { security_context: { namespace_options: NAMESPACES } },
        ...extra,
      },
    });
    ids.push(id);
    await cri.call('StartContainer', { container_id: id });
    return { id, log: path.join(sandboxConfig.log_directory, `${name}.log`) };
  }
  const status = async (id) => (await cri.call('ContainerStatus', { container_id: id })).status;
  async function exited(id) {
    for (;;) {
      const s = await status(id);
      if (s.state === 'CONTAINER_EXITED') return s;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** CRI's log format: "<time> <stream> <P|F> <line>"; the lines of a stream. */
  const logLines = (file, stream) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
    .map((l) => l.split(' ')).filter((f) => f[1] === stream).map((f) => f.slice(3).join(' '));

  before(async function () {
    this.timeout(300000);
    ctrd = new Containerd();
    await ctrd.start();
    ctrd.importImage(CRI_NAMESPACE);
    cri = new CriClient(ctrd.socket);
    cgroupParent = `/ts-oci-test-pod-${process.pid}`;
    sandboxConfig = {
      metadata: { name: 'pod', uid: `uid-${process.pid}`, namespace: 'default', attempt: 0 },
      log_directory: path.join(ctrd.dir, 'pods', 'pod'),
      // The node's network: no CNI here (nor traffic anywhere).
      linux: { cgroup_parent: cgroupParent, security_context: { namespace_options: NAMESPACES } },
    };
    ({ pod_sandbox_id: podId } = await cri.call('RunPodSandbox', { config: sandboxConfig, runtime_handler: HANDLER }));
    ids.push(podId);
  });

  after(async function () {
    this.timeout(120000);
    if (!ctrd) return;
    if (cri && podId) {
      await cri.call('StopPodSandbox', { pod_sandbox_id: podId });
      await cri.call('RemovePodSandbox', { pod_sandbox_id: podId });
    }
    if (cri) cri.close();
    ctrd.clean(CRI_NAMESPACE);
    const left = ctrd.leftovers(ids, { namespace: CRI_NAMESPACE, cgroupParent });
    const forced = await ctrd.stop([CRI_NAMESPACE]);
    try { fs.rmdirSync(path.join('/sys/fs/cgroup/memory', cgroupParent)); } catch { /* removed below */ }
    for (const h of fs.readdirSync('/sys/fs/cgroup')) {
      try { fs.rmdirSync(path.join('/sys/fs/cgroup', h, cgroupParent)); } catch { /* absent */ }
    }
    expect(left, 'state or cgroups ts-oci left behind').to.deep.equal([]);
    expect(forced, 'mounts or shims containerd left behind').to.deep.equal({ mounts: [], shims: [] });
  });

  it('the runc shim of the pod and its containers was given ts-oci as BinaryName, from containerd\'s config', async () => {
    const { id } = await createContainer(['sleep', '1000']);
    for (const task of [podId, id]) {
      const options = path.join(ctrd.dir, 'state', 'io.containerd.runtime.v2.task', CRI_NAMESPACE, task, 'options.json');
      expect(JSON.parse(fs.readFileSync(options, 'utf8')).binary_name).to.equal(bin);
    }
    await cri.call('StopContainer', { container_id: id, timeout: 0 });
    await cri.call('RemoveContainer', { container_id: id });
  });

  it('a container\'s output reaches its CRI log, its exit code its status', async () => {
    const { id, log } = await createContainer(['sh', '-c', 'echo hello; echo oops >&2; echo $$; exit 3']);
    const s = await exited(id);
    expect(s.exit_code).to.equal(3);
    expect(logLines(log, 'stdout')).to.deep.equal(['hello', '1']);
    expect(logLines(log, 'stderr')).to.deep.equal(['oops']);
    await cri.call('RemoveContainer', { container_id: id });
  });

  it('a tty container: its stdio is a pty (the shim takes the master from ts-oci\'s console socket)', async () => {
    const { id, log } = await createContainer(['sh', '-c', 'tty; [ -t 0 ] && [ -t 1 ] && echo both; exit 4'], { tty: true, stdin: true });
    const s = await exited(id);
    expect(s.exit_code).to.equal(4);
    expect(logLines(log, 'stdout').join('\n').replace(/\r/g, '')).to.match(/^\/dev\/pts\/\d+\nboth$/);
    await cri.call('RemoveContainer', { container_id: id });
  });

  it('ExecSync (the kubelet\'s probes): output and exit code from inside the container', async () => {
    const { id } = await createContainer(['sleep', '1000']);
    const r = await cri.call('ExecSync', { container_id: id, cmd: ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; exit 2'], timeout: 30 });
    expect(r.exit_code).to.equal(2);
    expect(r.stdout.toString()).to.equal('sleep 1000 \n');
    const stats = (await cri.call('ContainerStats', { container_id: id })).stats;
    expect(stats.attributes.id).to.equal(id);
    expect(stats.memory.usage_bytes.value).to.be.greaterThan(0);
    await cri.call('StopContainer', { container_id: id, timeout: 0 });
    await cri.call('RemoveContainer', { container_id: id });
  });

  it('StopContainer: SIGTERM first (the container\'s trap exits 7)', async () => {
    const { id } = await createContainer(['sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done']);
    await until('the container to run', () => ctrd.taskStatus(id, CRI_NAMESPACE) === 'RUNNING');
    await cri.call('StopContainer', { container_id: id, timeout: 30 });
    expect((await status(id)).exit_code).to.equal(7);
    await cri.call('RemoveContainer', { container_id: id });
  });

  describe('error paths: what StartContainer reports is ts-oci\'s line, and nothing is left behind', () => {
    async function failedStart(cmd, extra) {
      const name = `bad${++counter}`;
      const { container_id: id } = await cri.call('CreateContainer', {
        pod_sandbox_id: podId,
        sandbox_config: sandboxConfig,
        config: { metadata: { name }, image: { image: IMAGE }, command: cmd, linux: { security_context: { namespace_options: NAMESPACES }, ...extra } },
      });
      ids.push(id);
      const err = await cri.call('StartContainer', { container_id: id }).then(() => undefined, (e) => e);
      expect(err, 'StartContainer succeeded').to.be.an('error');
      await cri.call('RemoveContainer', { container_id: id });
      expect(ctrd.leftovers([id], { namespace: CRI_NAMESPACE, cgroupParent })).to.deep.equal([]);
      return { message: err.message, id };
    }
    const shown = (id, msg) => `failed to create shim task: OCI runtime create failed: create ${id}: ${msg}: unknown`;

    it('a missing command: runc\'s "executable file not found in $PATH"', async () => {
      const { message, id } = await failedStart(['nonexistent']);
      expect(message).to.include(shown(id, 'unable to start container process: exec: "nonexistent": executable file not found in $PATH'));
    });

    it('a memory limit too small to start: runc\'s "container init was OOM-killed (memory limit too low?)"', async () => {
      const { message, id } = await failedStart(['true'], { resources: { memory_limit_in_bytes: 8192 } });
      expect(message).to.include(shown(id, 'container init was OOM-killed (memory limit too low?)'));
    });
  });

  describeTaskScenarios(() => ({
    ctrd,
    namespace: CRI_NAMESPACE,
    fifoDir: path.join(ctrd.dir, 'fifo'),
    start: async (cmd) => (await createContainer(cmd)).id,
    cgroup: (id, controller) => path.join('/sys/fs/cgroup', controller, cgroupParent, id),
    remove: async (id) => {
      await exited(id);
      await cri.call('RemoveContainer', { container_id: id });
    },
    leftovers: (list) => ctrd.leftovers(list, { namespace: CRI_NAMESPACE, cgroupParent }),
  }));
});
