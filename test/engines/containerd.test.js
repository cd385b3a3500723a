'use strict';
// containerd (its runc shim, containerd-shim-runc-v2) drives ts-oci through
// `ctr run --runc-binary <ts-oci>`: issue 9's containerd scenarios, checked
// from inside the containers and from the host's view of their cgroups.
// The configured runtime (the Kubernetes path) is containerd-cri.test.js.
const { expect } = require('chai');
const path = require('path');
const { Containerd } = require('../helpers/containerd');
const { describeTaskScenarios, runningPid } = require('../helpers/containerd-tasks');
const { inPty } = require('../helpers/terminal');
const { bin } = require('../helpers/engine-image');

describe('engines: containerd drives ts-oci (ctr run --runc-binary)', function () {
  let ctrd;
  let image;
  let fifoDir;
  const ids = [];
  let counter = 0;

  function id() {
    const t = `ctr-${process.pid}-${++counter}`;
    ids.push(t);
    return t;
  }
  const run = (...args) => ['run', '--runc-binary', bin, '--fifo-dir', fifoDir, ...args];

  before(async function () {
    this.timeout(300000);
    ctrd = new Containerd();
    fifoDir = path.join(ctrd.dir, 'fifo');
    await ctrd.start();
    image = ctrd.importImage();
  });

  after(async function () {
    this.timeout(120000);
    if (!ctrd) return;
    ctrd.clean();
    const left = ctrd.leftovers(ids);
    const forced = await ctrd.stop();
    expect(left, 'state or cgroups ts-oci left behind').to.deep.equal([]);
    expect(forced, 'mounts or shims containerd left behind').to.deep.equal({ mounts: [], shims: [] });
  });

  it('ctr run: the output and the exit code, from inside the container', () => {
    const r = ctrd.ctr(run('--rm', image, id(), 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; echo $$; exit 3'));
    expect(r.status, r.stderr).to.equal(3);
    // The shell is pid 1 of a pid namespace of its own.
    expect(r.stdout).to.equal('sh -c cat /proc/1/cmdline | tr "\\0" " "; echo; echo $$; exit 3 \n1\n');
  });

  it('ctr run -t: the container\'s stdio is a pty, and its exit code comes back', () => {
    const r = inPty(ctrd.commandLine(run('--rm', '-t', image, id(), 'sh', '-c', 'tty; [ -t 0 ] && [ -t 1 ] && echo both; exit 4')));
    expect(r.status, r.output).to.equal(4);
    expect(r.output).to.match(/^\/dev\/pts\/\d+\nboth\n/);
  });

  it('ctr task kill: SIGTERM reaches the container (its trap exits 7), ctr run returns that code', async () => {
    const t = id();
    const attached = ctrd.spawnCtr(run('--rm', image, t, 'sh', '-c', 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'));
    await runningPid(ctrd, t);
    ctrd.ok(['task', 'kill', t]);
    const r = await attached.exited;
    expect(r.status, r.stderr).to.equal(7);
    expect(r.stdout).to.equal('ready\n');
  });

  describe('error paths: the one line ctr shows is ts-oci\'s (from its JSON log), and nothing is left behind', () => {
    function failedRun(args, cmd) {
      const t = id();
      const r = ctrd.ctr(run('--rm', ...args, image, t, ...cmd));
      expect(r.status).to.equal(1);
      expect(ctrd.ok(['containers', 'ls', '-q'])).to.not.include(t);
      expect(ctrd.leftovers([t])).to.deep.equal([]);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      return { line: lines[0], t };
    }
    const shown = (t, msg) => `ctr: failed to create shim task: OCI runtime create failed: create ${t}: ${msg}: unknown`;

    it('a missing command: runc\'s "executable file not found in $PATH"', () => {
      const { line, t } = failedRun([], ['nonexistent']);
      expect(line).to.equal(shown(t, 'unable to start container process: exec: "nonexistent": executable file not found in $PATH'));
    });

    it('a directory as the command: runc\'s "is a directory"', () => {
      const { line, t } = failedRun([], ['/etc']);
      expect(line).to.equal(shown(t, 'unable to start container process: exec: "/etc": is a directory'));
    });

    it('a --memory-limit too small to start: runc\'s "container init was OOM-killed (memory limit too low?)"', () => {
      const { line, t } = failedRun(['--memory-limit', '8192'], ['true']);
      expect(line).to.equal(shown(t, 'container init was OOM-killed (memory limit too low?)'));
    });
  });

  describeTaskScenarios(() => ({
    ctrd,
    namespace: ctrd.namespace,
    fifoDir,
    start: async (cmd) => {
      const t = id();
      ctrd.ok(run('-d', image, t, ...cmd));
      return t;
    },
    cgroup: (t, controller) => path.join('/sys/fs/cgroup', controller, ctrd.namespace, t),
    remove: async (t) => {
      ctrd.ok(['task', 'delete', t]);
      ctrd.ok(['containers', 'rm', t]);
    },
    leftovers: (list) => ctrd.leftovers(list),
  }));
});
