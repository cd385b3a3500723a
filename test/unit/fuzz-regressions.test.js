'use strict';
// Every input in test/fixtures/fuzz-regressions (crashes scripts/fuzz.sh
// found, and hand-made edge cases of the same decoders) sent to the real
// ts-oci-init: it must refuse or run it cleanly, never die of a signal.
// The first byte picks the decoder as in native/fuzz/decoder_fuzzer.cc:
// 0 = a plan payload (in a PLAN frame), 1 = raw bytes on the sync socket.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { runPlan } = require('../helpers/run-plan');
const { helperPath } = require('../../dist/native');

const dir = path.join(__dirname, '../fixtures/fuzz-regressions');

describe('fuzz regressions: the helper survives every recorded input', () => {
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.') && !f.endsWith('.md'));

  it('has inputs', () => expect(files.length).to.be.above(0));

  for (const f of files) {
    const data = fs.readFileSync(path.join(dir, f));
    if (data[0] % 3 === 2) continue;  // hook-state overrides: reachable only after FORK_PIDNS, fuzzed in-process
    it(`${f}: refused with an error frame or run through, no signal`, async () => {
      const body = data.subarray(1);
      const opts = data[0] % 3 === 0 ? { payload: body } : { raw: body };
      // Unprivileged even when the tests run as root: a recorded input that
      // decodes must not be able to change the host.
      const ids = process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = await runPlan(helperPath(), [], { ...opts, ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.signal, r.stderr).to.equal(null);
      expect(r.code, r.stderr).to.be.oneOf([0, 1]);
      for (const frame of r.frames.filter((x) => x.frame === 'error')) expect(frame.detail).to.be.a('string');
    });
  }
});
