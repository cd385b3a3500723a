'use strict';
// v2 OOM events: the oom_kill counter of memory.events is read when the file
// is reported modified (inotify), not only when the events loop polls.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { expect } = require('chai');
const { watchOom } = require('../../../dist/cgroups/oom-watch');

function fakeV2Manager(dir) {
  const file = path.join(dir, 'memory.events');
  return {
    dirs: { v1: [], v2: { path: dir } },
    v1MemoryDir: () => undefined,
    oomKills: () => Number(/oom_kill (\d+)/.exec(fs.readFileSync(file, 'utf8'))[1]),
  };
}

describe('cgroups: OOM watch (v2)', () => {
  let dir;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oom-watch-'));
    fs.writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a modified memory.events with a higher oom_kill wakes the caller with one event, without a poll', async () => {
    let woken;
    const wokenUp = new Promise((resolve) => (woken = resolve));
    const watch = watchOom(fakeV2Manager(dir), () => woken());
    try {
      fs.writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
      await wokenUp;
      expect(watch.take()).to.equal(1);
      expect(watch.take()).to.equal(0);
    } finally {
      watch.close();
    }
  });

  it('a change that is not an OOM kill is no event; polling still counts', () => {
    const watch = watchOom(fakeV2Manager(dir), () => undefined);
    try {
      watch.poll();
      expect(watch.take()).to.equal(0);
      fs.writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 0\noom 1\noom_kill 2\n');
      watch.poll();
      expect(watch.take()).to.equal(1);
    } finally {
      watch.close();
    }
  });
});
