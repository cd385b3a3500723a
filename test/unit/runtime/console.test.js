'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { expect } = require('chai');
const { checkTerminal, ProcessHandoff } = require('../../../dist/runtime/console');
const { native } = require('../../../dist/native');

const DETACH = 'cannot allocate tty if ts-oci will detach without setting console socket';
const NO_TTY = 'cannot use console socket if ts-oci will not detach or allocate tty';

describe('runtime/console', () => {
  describe('checkTerminal: runc\'s rules and phrases', () => {
    it('a terminal needs a console socket unless the caller keeps the master', () => {
      expect(() => checkTerminal(true, {})).to.throw(DETACH);
      expect(() => checkTerminal(true, { consoleSocket: '/s' })).to.not.throw();
      expect(() => checkTerminal(true, { keepConsole: true })).to.not.throw();
    });

    it('a console socket needs a terminal and a detached caller', () => {
      expect(() => checkTerminal(false, { consoleSocket: '/s' })).to.throw(NO_TTY);
      expect(() => checkTerminal(true, { consoleSocket: '/s', keepConsole: true })).to.throw(NO_TTY);
      expect(() => checkTerminal(false, {})).to.not.throw();
      expect(() => checkTerminal(false, { keepConsole: true })).to.not.throw();
    });
  });

  describe('ProcessHandoff', () => {
    let dir;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-console-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('connects first: a socket nobody listens on fails naming it', () => {
      const missing = path.join(dir, 'missing.sock');
      expect(() => new ProcessHandoff({ consoleSocket: missing })).to.throw(`connect to console socket ${missing}: ENOENT`);
      expect(() => new ProcessHandoff({ pidfdSocket: missing })).to.throw(`connect to pidfd socket ${missing}: ENOENT`);
    });

    it('forwards the master in one message named after the pty, and closes its copy', async () => {
      const sock = path.join(dir, 'c.sock');
      const server = net.createServer({ pauseOnConnect: true });
      const got = new Promise((resolve) => server.once('connection', (conn) => {
        native().watchFd(conn._handle.fd, false, () => native().recvFd(conn._handle.fd, 4096).then(resolve).finally(() => conn.destroy()));
      }));
      await new Promise((r) => server.listen(sock, r));
      try {
        const handoff = new ProcessHandoff({ consoleSocket: sock });
        const fd = fs.openSync('/dev/null', 'r');
        handoff.receiveConsole(fd, '/dev/pts/3');
        expect(() => fs.fstatSync(fd)).to.throw(/EBADF/);
        handoff.close();
        const { fd: received, data } = await got;
        expect(data.toString()).to.equal('/dev/pts/3');
        expect(fs.readlinkSync(`/proc/self/fd/${received}`)).to.equal('/dev/null');
        fs.closeSync(received);
      } finally {
        server.close();
      }
    });

    it('keeps the master for a caller that asked to, and refuses one nobody expects', () => {
      const keep = new ProcessHandoff({ keepConsole: true });
      const fd = fs.openSync('/dev/null', 'r');
      keep.receiveConsole(fd, '/dev/pts/0');
      expect(keep.take()).to.deep.equal({ fd, name: '/dev/pts/0' });
      expect(keep.take()).to.equal(undefined);
      keep.close();
      fs.fstatSync(fd); // taken: close() left it to the caller
      fs.closeSync(fd);
      const none = new ProcessHandoff({});
      const other = fs.openSync('/dev/null', 'r');
      expect(() => none.receiveConsole(other, '/dev/pts/0')).to.throw('unexpected pty master from init');
      expect(() => fs.fstatSync(other)).to.throw(/EBADF/);
    });
  });
});
