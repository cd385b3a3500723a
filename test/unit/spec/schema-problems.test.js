'use strict';
// All of a config's schema errors at once, one line per bad value, each
// naming the file and the field.
const path = require('path');
const { expect } = require('chai');
const { loadConfig } = require('../../../dist/spec/load');
const { ConfigError } = require('../../../dist/errors');
const { schemaProblems } = require('../../../dist/spec/schema-problems');
const { fixture, makeBundle, removeBundles } = require('../../fixtures/configs/make-bundle');

function loadError(config) {
  const bundle = makeBundle(config);
  try {
    loadConfig(bundle);
  } catch (e) {
    return { e, file: path.join(bundle, 'config.json') };
  }
  throw new Error('loadConfig did not fail');
}

describe('spec/load: every schema error at once', () => {
  after(removeBundles);

  it('lists each bad field on its own line, the first as `field`', () => {
    const c = fixture('minimal');
    c.process.args = 'sh';
    delete c.process.cwd;
    c.process.user = { uid: 1.5, gid: 0 };
    c.linux.namespaces.push({ type: 'foo' });
    c.hooks = { prestart: [{ path: '/h', timeout: 0 }] };
    const { e, file } = loadError(c);
    expect(e).to.be.instanceOf(ConfigError);
    const lines = e.message.split('\n');
    expect(lines).to.have.length(5);
    for (const line of lines) expect(line.startsWith(`${file}: /`), line).to.equal(true);
    expect(lines).to.include.members([
      `${file}: /process/args: must be array`,
      `${file}: /process: must have required property 'cwd'`,
      `${file}: /process/user/uid: must be integer`,
      `${file}: /hooks/prestart/0/timeout: must be >= 1`,
    ]);
    // The namespace's type is named once, not again as the vague "must match a schema in anyOf".
    expect(lines.filter((l) => l.includes('/linux/namespaces/'))).to.deep.equal([
      `${file}: /linux/namespaces/1/type: must be equal to one of the allowed values: mount, pid, network, uts, ipc, user, cgroup, time`,
    ]);
    expect(e.problems.map((p) => p.field)).to.have.length(5);
    expect(e.field).to.equal(e.problems[0].field);
    expect(e.file).to.equal(file);
  });

  it('lists at most 20 and counts the rest', () => {
    const c = fixture('minimal');
    c.process.env = Array.from({ length: 25 }, (_, i) => i);
    const { e, file } = loadError(c);
    const lines = e.message.split('\n');
    expect(lines).to.have.length(21);
    expect(lines[0]).to.equal(`${file}: /process/env/0: must be string`);
    expect(lines[19]).to.equal(`${file}: /process/env/19: must be string`);
    expect(lines[20]).to.equal(`${file}: and 5 more problems`);
    expect(e.problems).to.have.length(25);
  });

  it('one error stays the single line it was', () => {
    const c = fixture('minimal');
    c.process.args = 'sh';
    const { e, file } = loadError(c);
    expect(e.message).to.equal(`${file}: /process/args: must be array`);
    expect(e.problems).to.equal(undefined);
  });

  it('exec --process: every schema error of process.json, fields named in the file itself', () => {
    const fs = require('fs');
    const os = require('os');
    const { loadProcessFile } = require('../../../dist/spec/load-process');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-process-'));
    const file = path.join(dir, 'process.json');
    try {
      fs.writeFileSync(file, JSON.stringify({ args: 'sh', cwd: 3, user: { uid: -1, gid: 0 } }));
      const e = (() => { try { loadProcessFile(file); } catch (err) { return err; } throw new Error('no error'); })();
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message.split('\n')).to.deep.equal([
        `${file}: /args: must be array`,
        `${file}: /cwd: must be string`,
        `${file}: /user/uid: must be >= 0`,
      ]);
      expect(e.field).to.equal('/args');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('schemaProblems: a failed anyOf with no more specific error is reported itself', () => {
    const err = (instancePath, keyword, message) => ({ instancePath, keyword, message, params: {} });
    expect(schemaProblems([err('/a', 'anyOf', 'must match a schema in anyOf')]))
      .to.deep.equal([{ field: '/a', message: 'must match a schema in anyOf' }]);
    // Branch errors about the value itself: the first one only.
    expect(schemaProblems([err('/a', 'type', 'must be string'), err('/a', 'type', 'must be array'), err('/a', 'anyOf', 'x')]))
      .to.deep.equal([{ field: '/a', message: 'must be string' }]);
    expect(schemaProblems([err('', 'required', "must have required property 'ociVersion'")]))
      .to.deep.equal([{ field: '/', message: "must have required property 'ociVersion'" }]);
  });
});
