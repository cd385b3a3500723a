'use strict';
// The `ctr task` scenarios of issue 9, on a running task however it was
// started: by `ctr run --runc-binary` or by the CRI plugin through the
// configured runtime (test/engines/containerd*.test.js). Either way the
// runc shim calls ts-oci for every one of them.
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { inPty } = require('./terminal');

async function until(what, check) {
  for (let i = 0; i < 200; i++) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The task's init pid from `ctr task ls`, once it runs. */
function runningPid(ctrd, id, namespace) {
  return until(`${id} to run`, () => {
    const line = ctrd.ok(['task', 'ls'], { namespace }).split('\n').find((l) => l.split(/\s+/)[0] === id);
    const [, pid, status] = line ? line.trim().split(/\s+/) : [];
    return status === 'RUNNING' && Number(pid);
  });
}

/**
 * ctx() returns { ctrd, namespace, fifoDir, start(cmd) => Promise<id>,
 * cgroup(id, controller) => host path, leftovers(ids) }.
 */
function describeTaskScenarios(ctx) {
  describe('ctr task on a running task', () => {
    let c;
    let id;
    let pid;
    const ns = () => ({ namespace: c.namespace });
    const exec = (flags, execId, cmd) => ['task', 'exec', '--fifo-dir', c.fifoDir, ...flags, '--exec-id', execId, id, ...cmd];
    before(async () => {
      c = ctx();
      id = await c.start(['sh', '-c', 'sleep 1001 & exec sleep 1002']);
      pid = await runningPid(c.ctrd, id, c.namespace);
    });
    after(() => {
      if (c && id) c.ctrd.ctr(['task', 'kill', '-a', '-s', 'SIGKILL', id], ns());
    });

    it('ctr task exec: runs in the container (its pid namespace), exit code back', () => {
      const r = c.ctrd.ctr(exec([], 'e1', ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; [ -t 0 ] || echo notty; exit 6']), ns());
      expect(r.status, r.stderr).to.equal(6);
      expect(r.stdout).to.equal('sleep 1002 \nnotty\n');
    });

    it('ctr task exec -t: a pty of its own', () => {
      const r = inPty(c.ctrd.commandLine(exec(['-t'], 'e2', ['sh', '-c', 'tty; [ -t 1 ] && echo isatty']), c.namespace));
      expect(r.status, r.output).to.equal(0);
      expect(r.output).to.match(/^\/dev\/pts\/\d+\nisatty\n/);
    });

    it('ctr task ps: the task\'s processes, as its cgroup holds them', () => {
      const out = c.ctrd.ok(['task', 'ps', id], ns()).trim().split('\n');
      expect(out[0]).to.match(/^PID\s+INFO/);
      const pids = out.slice(1).map((l) => Number(l.split(/\s+/)[0])).sort((a, b) => a - b);
      const inCgroup = fs.readFileSync(path.join(c.cgroup(id, 'pids'), 'cgroup.procs'), 'utf8').trim().split('\n').map(Number).sort((a, b) => a - b);
      expect(pids).to.deep.equal(inCgroup);
      expect(pids).to.include(pid);
      expect(pids).to.have.length(2);
    });

    it('ctr task pause freezes the task\'s cgroup, resume thaws it', () => {
      const state = () => fs.readFileSync(path.join(c.cgroup(id, 'freezer'), 'freezer.state'), 'utf8').trim();
      c.ctrd.ok(['task', 'pause', id], ns());
      expect(c.ctrd.taskStatus(id, c.namespace)).to.equal('PAUSED');
      expect(state()).to.equal('FROZEN');
      c.ctrd.ok(['task', 'resume', id], ns());
      expect(c.ctrd.taskStatus(id, c.namespace)).to.equal('RUNNING');
      expect(state()).to.equal('THAWED');
      expect(c.ctrd.ok(exec([], 'e3', ['echo', 'thawed']), ns())).to.equal('thawed\n');
    });

    it('ctr task metrics: the task\'s cgroup counters', () => {
      const m = JSON.parse(c.ctrd.ok(['task', 'metrics', '--format', 'json', id], ns()));
      expect(m.pids.current).to.equal(2);
      expect(m.memory.usage.usage).to.be.greaterThan(0);
      expect(m.cpu.usage.total).to.be.greaterThan(0);
    });

    it('ctr task kill -s SIGKILL ends it; ts-oci leaves no state or cgroup once it is deleted', async () => {
      c.ctrd.ok(['task', 'kill', '-s', 'SIGKILL', id], ns());
      await until('the task to stop', () => c.ctrd.taskStatus(id, c.namespace) === 'STOPPED');
      await c.remove(id);
      expect(c.leftovers([id])).to.deep.equal([]);
      id = undefined;
    });
  });
}

module.exports = { describeTaskScenarios, until, runningPid };
