'use strict';
const { expect } = require('chai');
const { decodeErrorRecord, errorFromRecord, ERROR_RECORD_SIZE } = require('../../../dist/runtime/error-record');
const { ContainerSystemError, isRuntimeError } = require('../../../dist/errors');

function record({ err = 0, step = -1, syscall = '', path = '', detail = '' }) {
  const b = Buffer.alloc(ERROR_RECORD_SIZE);
  b.writeInt32LE(err, 0);
  b.writeInt32LE(step, 4);
  b.write(syscall, 8);
  b.write(path, 40);
  b.write(detail, 1064);
  return b;
}

describe('runtime/error-record', () => {
  it('decodes the fixed-size record of protocol.h', () => {
    expect(decodeErrorRecord(record({ err: 1, step: 7, syscall: 'mount', path: '/proc' }))).to.deep.equal({
      errno: 1, step: 7, syscall: 'mount', path: '/proc', detail: '',
    });
    expect(() => decodeErrorRecord(Buffer.alloc(10))).to.throw(/short error record/);
  });

  it('names the step the plan knows and the errno, as one line', () => {
    const e = errorFromRecord(decodeErrorRecord(record({ err: 1, step: 3, syscall: 'mount', path: '/x/proc' })), (i) =>
      i === 3 ? 'mount proc on /proc' : undefined,
    );
    expect(e).to.be.instanceOf(ContainerSystemError);
    expect(isRuntimeError(e)).to.equal(true);
    expect(e.message).to.equal('mount proc on /proc: EPERM');
    expect(e).to.include({ code: 'EPERM', errno: 1, syscall: 'mount', path: '/x/proc', step: 'mount proc on /proc' });
  });

  it('prefers the helper\'s detail and falls back to syscall and path', () => {
    const e = errorFromRecord(decodeErrorRecord(record({ err: 2, step: 9, syscall: 'stat', detail: 'exec: "x": executable file not found in $PATH' })), () => 'unable to start container process');
    expect(e.message).to.equal('unable to start container process: exec: "x": executable file not found in $PATH');
    const bare = errorFromRecord(decodeErrorRecord(record({ err: 13, step: 99, syscall: 'open', path: '/a' })), () => undefined);
    expect(bare.message).to.equal('open /a: EACCES');
  });
});
