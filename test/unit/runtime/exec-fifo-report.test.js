'use strict';
const { expect } = require('chai');
const { parseFifoReport, fifoReportError, EXEC_MARKER } = require('../../../dist/runtime/exec-fifo-report');
const { ERROR_RECORD_SIZE } = require('../../../dist/runtime/error-record');

const marker = () => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(EXEC_MARKER, 0);
  return b;
};
const record = (errno) => {
  const b = Buffer.alloc(ERROR_RECORD_SIZE);
  b.writeInt32LE(errno, 0);
  b.writeInt32LE(7, 4);
  b.write('execve', 8);
  return b;
};

describe('runtime/exec-fifo-report', () => {
  it('the marker alone is success', () => {
    expect(parseFifoReport(marker())).to.deep.equal({ ok: true });
  });

  it('EOF with no bytes is a failure (the init died before execve)', () => {
    for (const empty of [null, Buffer.alloc(0)]) {
      const r = parseFifoReport(empty);
      expect(r.ok).to.equal(false);
      expect(fifoReportError(r, () => new Error('no')).message).to.equal(
        'container init exited before running the process (killed while created?)');
    }
  });

  it('an error record, alone or after the marker (execve failed), is a failure with that record', () => {
    for (const data of [record(2), Buffer.concat([marker(), record(2)])]) {
      const r = parseFifoReport(data);
      expect(r.ok).to.equal(false);
      expect(r.record).to.include({ errno: 2, step: 7, syscall: 'execve' });
    }
  });

  it('anything else is a failure', () => {
    for (const data of [Buffer.from('0'), Buffer.concat([marker(), marker()]), Buffer.concat([record(1), marker()])]) {
      expect(parseFifoReport(data).ok, data.toString('hex').slice(0, 16)).to.equal(false);
    }
  });
});
