'use strict';
// The CLI lifecycle against real containers, with runc's behaviour and
// phrases where engines depend on them.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

describe('lifecycle (CLI)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it('runs a container and exits with its status', () => {
    const ok = h.runScript(root, 'echo hello');
    expect(ok.stderr).to.equal('');
    expect(ok.stdout).to.equal('hello\n');
    expect(ok.status).to.equal(0);
    expect(h.runScript(root, 'exit 3').status).to.equal(3);
    expect(fs.readdirSync(root)).to.deep.equal([]);
  });

  it('reports 128+signal when the container dies of a signal', () => {
    // Without its own pid namespace sh is not an init, so SIGKILL from itself is not ignored.
    const noPidNs = (c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'pid'));
    expect(h.runScript(root, 'kill -9 $$', noPidNs).status).to.equal(137);
  });

  it('goes create → start → kill → delete with the right states', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId();
    const pidFile = path.join(bundle, 'init.pid');
    const created = h.cli(root, ['create', '--bundle', bundle, '--pid-file', pidFile, id]);
    expect(created.stderr).to.equal('');
    expect(created.stdout).to.equal('');
    expect(created.status).to.equal(0);
    let state = JSON.parse(h.cli(root, ['state', id]).stdout);
    expect(state).to.include({ id, status: 'created', bundle, ociVersion: '1.3.0' });
    expect(state.rootfs).to.equal(path.join(bundle, 'rootfs'));
    expect(fs.readFileSync(pidFile, 'utf8')).to.equal(String(state.pid));
    expect(fs.readFileSync(`/proc/${state.pid}/cmdline`, 'utf8')).to.match(/^ts-oci-init/);

    expect(h.cli(root, ['start', id]).status).to.equal(0);
    state = JSON.parse(h.cli(root, ['state', id]).stdout);
    expect(state.status).to.equal('running');
    expect(fs.readFileSync(`/proc/${state.pid}/cmdline`, 'utf8')).to.equal('sleep\u00001000\u0000');

    const refused = h.cli(root, ['delete', id]);
    expect(refused.status).to.not.equal(0);
    expect(refused.stderr).to.match(/cannot delete container .* that is not stopped: running/);
    expect(h.cli(root, ['start', id]).stderr).to.contain('cannot start an already running container');
    // Signal 0 only asks whether the init is there (engines use it).
    expect(h.cli(root, ['kill', id, '0']).status).to.equal(0);
    expect(h.processState(state.pid)).to.be.oneOf(['S', 'R']);

    expect(h.cli(root, ['kill', id, 'KILL']).status).to.equal(0);
    h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped');
    state = JSON.parse(h.cli(root, ['state', id]).stdout);
    expect(state.pid).to.equal(0);
    expect(h.cli(root, ['kill', id]).stderr).to.contain('container not running');
    expect(h.cli(root, ['kill', id, '0']).stderr).to.contain('container not running');
    expect(h.cli(root, ['kill', '--all', id, '9']).status).to.equal(0);
    expect(h.cli(root, ['start', id]).stderr).to.contain('cannot start a container that has stopped');

    expect(h.cli(root, ['delete', id]).status).to.equal(0);
    const gone = h.cli(root, ['state', id]);
    expect(gone.status).to.not.equal(0);
    expect(gone.stderr).to.contain('does not exist');
    // The shims and conmon delete --force again in cleanup: runc says nothing and exits 0.
    expect(h.cli(root, ['delete', '--force', id])).to.deep.equal({ status: 0, stdout: '', stderr: '' });
  });

  it('state, kill --all and delete of a container whose init is a zombie its subreaper still holds (as under a shim)', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId();
    // A subreaper that runs create and start, SIGKILLs the init and does
    // not reap it, then asks ts-oci what an engine's shim would ask.
    const script = `
import ctypes, json, os, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
cli = lambda *a: subprocess.run([sys.argv[1], '--root', sys.argv[2], *a], capture_output=True, text=True)
# The container inherits create's stdio: not pipes, which it would hold open.
assert subprocess.run([sys.argv[1], '--root', sys.argv[2], 'create', '-b', sys.argv[3], sys.argv[4]], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
assert cli('start', sys.argv[4]).returncode == 0
pid = json.loads(cli('state', sys.argv[4]).stdout)['pid']
os.kill(pid, signal.SIGKILL)
while open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[0] != 'Z': time.sleep(0.02)
state = json.loads(cli('state', sys.argv[4]).stdout)
kill_all = cli('kill', '--all', sys.argv[4], '9')
kill = cli('kill', sys.argv[4], '9')
zombie = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[0]
delete = cli('delete', sys.argv[4])
os.waitpid(pid, 0)
print(json.dumps({'status': state['status'], 'pid': state['pid'], 'killAll': kill_all.returncode, 'kill': kill.stderr, 'zombie': zombie, 'delete': delete.returncode}))
`;
    const r = spawnSync('python3', ['-c', script, h.bin, root, bundle, id], { encoding: 'utf8', timeout: 60000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({
      status: 'stopped', pid: 0, killAll: 0, kill: `ts-oci: kill ${id}: container not running\n`, zombie: 'Z', delete: 0,
    });
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('deletes a created container without --force (containerd relies on it)', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId();
    expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
    const { pid } = JSON.parse(h.cli(root, ['state', id]).stdout);
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
    // Gone, or a zombie waiting for whoever inherited it from the exited `create`.
    expect(h.processState(pid)).to.be.oneOf([undefined, 'Z']);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('a create killed midway is cleaned up by delete: state, cgroup and process', () => {
    const marker = `tsoci-hang-${process.pid}`;
    const bundle = h.makeBundle((c) => {
      c.process.args = ['true'];
      c.linux.cgroupsPath = `/${marker}`;
      c.hooks = { createRuntime: [{ path: '/bin/bash', args: ['bash', '-c', `exec -a ${marker} sleep 30`] }] };
    });
    const id = h.uniqueId('killed');
    const { spawn, spawnSync } = require('child_process');
    const child = spawn(h.bin, ['--root', root, 'create', '-b', bundle, id], { stdio: 'ignore' });
    try {
      h.waitFor(() => spawnSync('pgrep', ['-f', marker]).status === 0);
      const { pid } = JSON.parse(fs.readFileSync(path.join(root, id, 'state.json'), 'utf8'));
      expect(pid).to.be.above(0);
      child.kill('SIGKILL');
      h.waitFor(() => h.processState(pid) === undefined || h.processState(pid) === 'Z');
      expect(h.cli(root, ['state', id]).stdout).to.contain('"status": "stopped"');
      const r = h.cli(root, ['delete', id]);
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(fs.existsSync(path.join(root, id))).to.equal(false);
      expect(fs.existsSync(`/sys/fs/cgroup/memory/${marker}`)).to.equal(false);
      expect(fs.existsSync(`/sys/fs/cgroup/unified/${marker}`)).to.equal(false);
    } finally {
      child.kill('SIGKILL');
      spawnSync('pkill', ['-f', marker]);
    }
  });

  it('refuses a second create with the same id and keeps the first', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId();
    expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
    const again = h.cli(root, ['create', '-b', bundle, id]);
    expect(again.status).to.not.equal(0);
    expect(again.stderr).to.contain('container with given ID already exists');
    expect(JSON.parse(h.cli(root, ['state', id]).stdout).status).to.equal('created');
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
  });

  it('of several concurrent creates with one id exactly one wins, and delete cleans up', async () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId('race');
    const { spawn } = require('child_process');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => new Promise((resolve) => {
        // A file, not a pipe: the winner's container keeps its stderr open.
        const file = path.join(bundle, `race-${i}.err`);
        const fd = fs.openSync(file, 'w');
        const p = spawn(h.bin, ['--root', root, 'create', '-b', bundle, id], { stdio: ['ignore', 'ignore', fd] });
        fs.closeSync(fd);
        p.on('exit', (code) => resolve({ code, stderr: fs.readFileSync(file, 'utf8') }));
      })),
    );
    expect(results.filter((r) => r.code === 0)).to.have.length(1);
    for (const r of results.filter((x) => x.code !== 0)) expect(r.stderr).to.contain('container with given ID already exists');
    expect(JSON.parse(h.cli(root, ['state', id]).stdout).status).to.equal('created');
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
  });

  it('lists containers as JSON and as a table', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const id = h.uniqueId();
    expect(h.cli(root, ['run', '--detach', '-b', bundle, id]).status).to.equal(0);
    const list = JSON.parse(h.cli(root, ['list', '--format', 'json']).stdout);
    expect(list.map((s) => [s.id, s.status])).to.deep.include([id, 'running']);
    expect(h.cli(root, ['list']).stdout).to.match(new RegExp(`^${id}\\s+\\d+\\s+running`, 'm'));
    expect(h.cli(root, ['list', '-q']).stdout).to.contain(`${id}\n`);
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
    expect(JSON.parse(h.cli(root, ['list', '--format=json']).stdout)).to.deep.equal([]);
  });

  it('accepts go-runc and conmon argument forms', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['true']));
    const id = h.uniqueId();
    const log = path.join(bundle, 'log.json');
    const r = h.cli(root, ['-log-format=json', '-log', log, 'create', '-bundle=' + bundle, '--pid-file=' + path.join(bundle, 'p'), id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(h.cli(root, ['delete', '-force', id]).status).to.equal(0);
  });

  it('writes exactly one JSON error line to --log on failure', () => {
    const log = path.join(h.work, `log-${process.pid}.json`);
    fs.rmSync(log, { force: true });
    try {
      const r = h.cli(root, ['--log', log, '--log-format', 'json', 'state', 'nope']);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal('ts-oci: state nope: container does not exist\n');
      const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(lines).to.have.length(1);
      expect(JSON.parse(lines[0])).to.include({ level: 'error', msg: 'state nope: container does not exist' });
    } finally {
      fs.rmSync(log, { force: true });
    }
  });

  it('--debug logs what create decided, and nothing without it', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['true']));
    const log = path.join(bundle, 'debug.log');
    expect(h.cli(root, ['--debug', '--log', log, '--log-format', 'json', 'run', '-b', bundle, h.uniqueId()]).status).to.equal(0);
    const msgs = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(msgs.every((m) => m.level === 'debug')).to.equal(true);
    expect(msgs.map((m) => m.msg).join('\n')).to.match(/^init pid \d+$/m).and.match(/^plan: clone flags 0x[0-9a-f]+, \d+ steps: /m);
    fs.rmSync(log);
    expect(h.cli(root, ['--log', log, 'run', '-b', bundle, h.uniqueId()]).status).to.equal(0);
    expect(fs.existsSync(log)).to.equal(false);
  });

  it('--preserve-fds refuses fds the caller did not pass, and creates nothing', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['true']));
    const id = h.uniqueId();
    const { spawnSync } = require('child_process');
    // Only fd 3 is passed: fd 4 and up are whatever node opened for itself, or nothing.
    const r = spawnSync('bash', ['-c', `exec 3</dev/null; exec ${h.bin} --root ${root} create --preserve-fds 4 -b ${bundle} ${id}`], { encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(new RegExp(`^ts-oci: create ${id}: --preserve-fds: fd [4-6] (is not open|\\(anon_inode:.*\\) was not passed by the caller)\n$`));
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('passes --preserve-fds through and nothing else', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['sh', '-c', 'ls /proc/self/fd | sort -n | tr "\\n" " "']));
    const id = h.uniqueId();
    const { spawnSync } = require('child_process');
    const r = spawnSync('bash', ['-c', `exec 3</dev/null 7</; exec ${h.bin} --root ${root} run --preserve-fds 1 -b ${bundle} ${id}`], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    // 0-2, the preserved 3, and the fd ls opens for /proc/self/fd; never the leaked 7.
    expect(r.stdout.trim().split(' ').map(Number)).to.deep.equal([0, 1, 2, 3, 4]);
  });
});
