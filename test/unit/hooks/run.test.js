'use strict';
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runHook, runHooks, envArrayToObject, HookError } = require('../../../dist/hooks/run');
const { ConfigError } = require('../../../dist/errors');

describe('hooks/run', () => {
  let tmp;
  const script = (name, body) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return p;
  };
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-hooks-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('passes the state on stdin, args[0] as argv0, and only the hook env', async () => {
    const out = path.join(tmp, 'out');
    process.env.TS_OCI_LEAK_CHECK = 'leaked';
    const hook = {
      path: script('h', `cat > ${out}.stdin; echo "$0|$1|$2" > ${out}.args; env > ${out}.env`),
      args: ['my-hook', 'one', 'two words'],
      env: ['FOO=bar', 'X=1=2'],
    };
    try {
      await runHook('prestart', hook, '{"id":"c1"}');
    } finally {
      delete process.env.TS_OCI_LEAK_CHECK;
    }
    expect(fs.readFileSync(`${out}.stdin`, 'utf8')).to.equal('{"id":"c1"}');
    // /bin/sh reports $0 as the script path for a script; argv0 is checked below with a binary.
    expect(fs.readFileSync(`${out}.args`, 'utf8')).to.match(/\|one\|two words\n$/);
    const env = fs.readFileSync(`${out}.env`, 'utf8');
    expect(env).to.include('FOO=bar\n').and.include('X=1=2\n');
    expect(env).not.to.include('TS_OCI_LEAK_CHECK');
    expect(env).not.to.include('HOME=');
  });

  it('gives args[0] as argv[0] to the program', async () => {
    // busybox dispatches on argv[0]: run with argv0 "echo" it behaves as echo.
    const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
    expect(busybox, 'busybox-static is installed on the build machine').to.be.a('string');
    const seen = [];
    await runHook('poststart', { path: busybox, args: ['echo', 'hi'] }, '{}', {
      spawn: (file, args, opts) => {
        const r = require('child_process').spawnSync(file, args, opts);
        seen.push([file, args, opts.argv0, r.stdout.toString()]);
        return r;
      },
    });
    expect(seen).to.deep.equal([[busybox, ['hi'], 'echo', 'hi\n']]);
  });

  it('uses the path as argv0 when args is empty', async () => {
    const seen = [];
    const spawn = (file, args, opts) => { seen.push(opts.argv0, args); return { status: 0, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }; };
    await runHook('poststop', { path: '/bin/true' }, '{}', { spawn });
    expect(seen).to.deep.equal(['/bin/true', []]);
  });

  it('names the hook, the exit status and the stderr tail on failure', async () => {
    const hook = { path: script('fail', 'echo "it broke" >&2; exit 3') };
    let err;
    try { await runHook('createRuntime', hook, '{}'); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(HookError);
    expect(err.message).to.equal(`createRuntime hook ${hook.path}: exit status 3: it broke`);
    expect(err.exitStatus).to.equal(3);
  });

  it('kills a hook at its timeout, while the event loop keeps turning', async () => {
    const hook = { path: script('slow', 'exec sleep 30'), timeout: 1 };
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    let err;
    try { await runHook('prestart', hook, '{}'); } catch (e) { err = e; } finally { clearInterval(timer); }
    expect(err).to.be.instanceOf(HookError);
    expect(err.message).to.equal(`prestart hook ${hook.path}: timed out after 1s`);
    // The loop turned during the hook (spawnSync would leave this at 0).
    expect(ticks).to.be.at.least(5);
  });

  it('keeps the event loop turning while a slow hook runs to success', async () => {
    const hook = { path: script('slow-ok', 'sleep 0.5; exit 0') };
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    try { await runHook('prestart', hook, '{}'); } finally { clearInterval(timer); }
    expect(ticks).to.be.at.least(5);
  });

  it('does not fail a hook that ignores its stdin', async () => {
    await runHook('poststart', { path: script('noread', 'exit 0') }, 'x'.repeat(1 << 20));
  });

  it('reports a hook that cannot be executed', async () => {
    const failureOf = (p) => p.then(() => undefined, (e) => e);
    let e = await failureOf(runHook('prestart', { path: path.join(tmp, 'missing') }, '{}'));
    expect(e).to.be.instanceOf(HookError);
    expect(e.message).to.match(/prestart hook .*missing: ENOENT/);
    const notExecutable = path.join(tmp, 'plain');
    fs.writeFileSync(notExecutable, 'x', { mode: 0o644 });
    e = await failureOf(runHook('poststart', { path: notExecutable }, '{}'));
    expect(e).to.be.instanceOf(HookError);
    expect(e.message).to.match(/poststart hook .*plain: EACCES$/);
    e = await failureOf(runHook('prestart', { path: 'relative/hook' }, '{}'));
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.message).to.match(/must be absolute/);
  });

  it('stops at the first failure except for poststop, which returns warnings', async () => {
    const log = path.join(tmp, 'log');
    const ok = { path: script('ok', `echo ok >> ${log}`) };
    const bad = { path: script('bad', `echo bad >> ${log}; exit 1`) };
    const failureOf = (p) => p.then(() => undefined, (e) => e);
    let e = await failureOf(runHooks('poststart', [ok, bad, ok], '{}'));
    expect(e).to.be.instanceOf(HookError);
    expect(e.message).to.match(/exit status 1/);
    expect(fs.readFileSync(log, 'utf8')).to.equal('ok\nbad\n');
    fs.rmSync(log);
    const warnings = await runHooks('poststop', [bad, ok, bad], '{}');
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/^poststop hook .*bad: exit status 1$/);
    expect(fs.readFileSync(log, 'utf8')).to.equal('bad\nok\nbad\n');
    expect(await failureOf(runHooks('poststop', [bad], '{}', { failFast: true }))).to.be.instanceOf(HookError);
    expect(await runHooks('prestart', undefined, '{}')).to.deep.equal([]);
  });

  it('turns env arrays into objects', () => {
    expect(envArrayToObject(['A=1', 'B=', 'C', '=x', 'A=2'])).to.deep.equal({ A: '2', B: '' });
  });
});
