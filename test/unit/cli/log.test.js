'use strict';
// The CLI's error and debug reporting (lib/cli/log.ts): what reaches --log
// in each format and what reaches stderr. Podman unmarshals a failed
// create's JSON log as ONE object, so warnings stay out of it unless --debug.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');

const logModule = path.resolve(__dirname, '../../../dist/cli/log.js');

/** Runs `calls` (e.g. [['warn', 'w'], ['error', 'e']]) on a Logger in a child; returns its stderr. */
function logInChild(opts, calls) {
  const script = `const { Logger } = require(${JSON.stringify(logModule)});
    const l = new Logger(${JSON.stringify(opts)});
    for (const [m, a] of ${JSON.stringify(calls)}) l[m](a);`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return r.stderr;
}

describe('cli/log', () => {
  let dir;
  let log;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-log-'));
    log = path.join(dir, 'log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const records = () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

  it('json: a warning then an error leave exactly one object, the error; stderr has both', () => {
    const stderr = logInChild({ log, logFormat: 'json' }, [['warn', 'cgroup cleanup: EBUSY'], ['error', 'create c1: boom']]);
    expect(records()).to.have.length(1);
    expect(records()[0]).to.include({ level: 'error', msg: 'create c1: boom' });
    expect(new Date(records()[0].time).toISOString()).to.equal(records()[0].time);
    expect(stderr).to.equal('ts-oci: warning: cgroup cleanup: EBUSY\nts-oci: create c1: boom\n');
  });

  it('several lines (all of a config\'s schema errors): one record in the log, a prefixed line each on stderr', () => {
    const msg = 'create c1: /b/config.json: /process/args: must be array\ncreate c1: /b/config.json: /process/cwd: must be string';
    const stderr = logInChild({ log, logFormat: 'json' }, [['error', msg]]);
    expect(records()).to.deep.equal([{ level: 'error', msg, time: records()[0].time }]);
    expect(stderr).to.equal(msg.split('\n').map((l) => `ts-oci: ${l}\n`).join(''));
  });

  it('json with --debug: debug and warning records too', () => {
    logInChild({ log, logFormat: 'json', debug: true }, [['debug', 'd'], ['warn', 'w'], ['error', 'e']]);
    expect(records().map((r) => r.level)).to.deep.equal(['debug', 'warning', 'error']);
  });

  it('text: logrus lines, warnings included', () => {
    logInChild({ log, logFormat: 'text' }, [['warn', 'w "q"'], ['error', 'e']]);
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^time="[^"]+Z" level=warning msg="w \\"q\\""$/);
    expect(lines[1]).to.match(/^time="[^"]+Z" level=error msg="e"$/);
  });

  it('debug without --log goes to stderr as logrus text; without --debug nowhere', () => {
    expect(logInChild({ debug: true }, [['debug', 'plan: 3 steps']])).to.match(/^time="[^"]+Z" level=debug msg="plan: 3 steps"\n$/);
    expect(logInChild({}, [['debug', 'plan: 3 steps']])).to.equal('');
  });
});
