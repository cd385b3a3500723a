'use strict';
const { expect } = require('chai');
const { describeFailure } = require('../../../dist/plan/describe-failure');
const { decodeErrorRecord, errorFromRecord, ERROR_RECORD_SIZE } = require('../../../dist/runtime/error-record');

const mount = (over) => ({ op: 'mount', source: 'none', destination: '/mnt/x', fstype: 'foo', flags: 0, data: '', propagation: 0, recAttrSet: 0, ...over });
const ENODEV = 19;
const MS_BIND = 0x1000;

function failed(op, errno) {
  const b = Buffer.alloc(ERROR_RECORD_SIZE);
  b.writeInt32LE(errno, 0);
  b.writeInt32LE(0, 4);
  b.write('mount', 8);
  b.write('/mnt/x', 40);
  const rec = decodeErrorRecord(b);
  return errorFromRecord(rec, (i) => (i === 0 ? describeFailure(op, rec.errno) : undefined));
}

describe('plan/describe-failure', () => {
  it('an unknown filesystem type names the type and says what ENODEV means', () => {
    expect(describeFailure(mount(), ENODEV)).to.deep.equal({ step: 'mount none on /mnt/x (type foo)', explanation: 'unknown filesystem type' });
    const e = failed(mount(), ENODEV);
    expect(e.message).to.equal('mount none on /mnt/x (type foo): ENODEV: unknown filesystem type');
    expect(e).to.include({ code: 'ENODEV', errno: ENODEV, step: 'mount none on /mnt/x (type foo)' });
  });

  it('other errors and bind mounts keep the plain step', () => {
    expect(failed(mount(), 1).message).to.equal('mount none on /mnt/x: EPERM');
    expect(describeFailure(mount({ source: '/src', fstype: 'bind', flags: MS_BIND }), ENODEV)).to.deep.equal({ step: 'mount /src on /mnt/x' });
    expect(describeFailure({ op: 'mask', path: '/proc/kcore' }, ENODEV)).to.deep.equal({ step: 'mask /proc/kcore' });
  });
});
