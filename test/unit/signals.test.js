'use strict';
const { expect } = require('chai');
const { parseSignal, signalName, SIGNALS } = require('../../dist/signals');
const { ConfigError } = require('../../dist/errors');

describe('signals', () => {
  it('parses decimal numbers', () => {
    expect(parseSignal('9')).to.equal(9);
    expect(parseSignal('15')).to.equal(15);
    expect(parseSignal('64')).to.equal(64);
  });

  it('accepts 0, the existence probe runc passes on to kill(2)', () => {
    expect(parseSignal('0')).to.equal(0);
  });

  it('parses names with or without SIG, in any case', () => {
    for (const s of ['KILL', 'SIGKILL', 'kill', 'sigKill']) expect(parseSignal(s), s).to.equal(9);
    expect(parseSignal('TERM')).to.equal(15);
    expect(parseSignal('hup')).to.equal(1);
    expect(parseSignal('SIGCHLD')).to.equal(17);
    expect(parseSignal('WINCH')).to.equal(28);
    expect(parseSignal('SIGIOT')).to.equal(6);
  });

  it('parses real-time signals', () => {
    expect(parseSignal('SIGRTMIN')).to.equal(34);
    expect(parseSignal('RTMIN+3')).to.equal(37);
    expect(parseSignal('sigrtmax-1')).to.equal(63);
    expect(parseSignal('SIGRTMAX')).to.equal(64);
  });

  it('rejects garbage, out of range numbers and unknown names', () => {
    for (const s of ['', '65', '9x', ' 9', '+9', '-9', '1.5', 'SIGFOO', 'KILL ', 'SIGRTMIN+31', 'SIGRTMAX+1', 'SIG']) {
      expect(() => parseSignal(s), JSON.stringify(s)).to.throw(ConfigError, `invalid signal: ${s}`);
    }
  });

  it('names numbers', () => {
    expect(signalName(9)).to.equal('SIGKILL');
    expect(signalName(6)).to.equal('SIGABRT');
    expect(signalName(34)).to.equal('SIGRTMIN');
    expect(signalName(40)).to.equal('SIGRTMIN+6');
    expect(signalName(99)).to.equal(undefined);
  });

  it('has the Linux numbering', () => {
    expect(SIGNALS.get('SIGUSR1')).to.equal(10);
    expect(SIGNALS.get('SIGSTOP')).to.equal(19);
    expect(SIGNALS.get('SIGSYS')).to.equal(31);
  });
});
