'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { expect } = require('chai');
const { readFrame, writeFrame } = require('../../../dist/runtime/sync-channel');

describe('runtime/sync-channel', () => {
  let file;
  beforeEach(() => (file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-frame-')), 'f')));

  it('writes and reads frames in order, then reports EOF', async () => {
    const w = fs.openSync(file, 'w');
    writeFrame(w, 1, Buffer.from('plan'));
    writeFrame(w, 12);
    fs.closeSync(w);
    const r = fs.openSync(file, 'r');
    expect(await readFrame(r)).to.deep.equal({ type: 1, payload: Buffer.from('plan'), fd: -1 });
    expect(await readFrame(r)).to.deep.equal({ type: 12, payload: Buffer.alloc(0), fd: -1 });
    expect(await readFrame(r)).to.equal(null);
    fs.closeSync(r);
  });

  it('treats a truncated frame as EOF and refuses absurd lengths', async () => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(11, 0);
    head.writeUInt32LE(100, 4);
    fs.writeFileSync(file, Buffer.concat([head, Buffer.from('short')]));
    let r = fs.openSync(file, 'r');
    expect(await readFrame(r)).to.equal(null);
    fs.closeSync(r);
    head.writeUInt32LE(0xffffffff, 4);
    fs.writeFileSync(file, head);
    r = fs.openSync(file, 'r');
    let error;
    await readFrame(r).catch((e) => (error = e));
    expect(error).to.match(/too large/);
    fs.closeSync(r);
  });
});
