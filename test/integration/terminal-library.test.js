'use strict';
// The library side of terminals: `container.terminal` (a Duplex over the
// pty master with resize) and the consoleSocket/pidfdSocket options.
const fs = require('fs');
const { Duplex } = require('stream');
const { expect } = require('chai');
const h = require('../helpers/integration');
const t = require('../helpers/terminal');
const { native } = require('../../dist/native');
const { Container, RuntimeError } = require('../../dist/index.js');

describe('terminals: the library', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const terminalBundle = (script, terminal = true) => h.makeBundle((c) => {
    c.process.terminal = terminal;
    c.process.args = ['sh', '-c', script];
  });

  it('container.terminal reads, writes and resizes the process\'s terminal; wait() gives the status', async () => {
    const b = terminalBundle('tty; stty size; read a; echo "got:$a"; read b; stty size; exit 5');
    const c = await Container.create({ id: h.uniqueId('lib'), bundle: b, root });
    expect(c.terminal).to.be.instanceOf(Duplex);
    expect(c.terminal.ptyName).to.equal('/dev/pts/0');
    const out = t.collect(c.terminal);
    c.terminal.resize(80, 24);
    await c.start();
    await out.until(/24 80\r\n/);
    c.terminal.write('over the pty\n');
    await out.until(/got:over the pty\r\n/);
    c.terminal.resize(132, 43);
    c.terminal.write('\n');
    expect(await c.wait()).to.equal(5);
    expect(await out.closed).to.equal('/dev/pts/0\r\n24 80\r\nover the pty\r\ngot:over the pty\r\n\r\n43 132\r\n');
    await c.delete();
  });

  it('the stream gets all the output of a process that exits right after writing it', async () => {
    const c = await Container.create({ id: h.uniqueId('lib'), bundle: terminalBundle('seq 1 20000'), root });
    const out = t.collect(c.terminal);
    await c.start();
    const lines = (await out.closed).split('\r\n');
    expect(lines).to.have.length(20001);
    expect(lines[19999]).to.equal('20000');
    expect(await c.wait()).to.equal(0);
    await c.delete();
  });

  it('delete closes a terminal nobody reads (its fd does not outlive the container)', async () => {
    const masters = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return /ptmx$/.test(fs.readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        return false; // the fd readdir itself used
      }
    });
    const c = await Container.create({ id: h.uniqueId('lib'), bundle: terminalBundle('echo unread'), root });
    expect(masters()).to.have.length(1);
    await c.start();
    await c.wait();
    await c.delete();
    expect(c.terminal.destroyed).to.equal(true);
    expect(masters()).to.deep.equal([]);
  });

  it('consoleSocket sends the master there instead; pidfdSocket the init\'s pidfd', async () => {
    const [consoleRx, pidfdRx] = [await t.fdReceiver(), await t.fdReceiver()];
    try {
      const b = terminalBundle('echo via socket');
      const c = await Container.create({ id: h.uniqueId('lib'), bundle: b, root, consoleSocket: consoleRx.path, pidfdSocket: pidfdRx.path });
      expect(c.terminal).to.equal(undefined);
      const [master, pidfd] = [await consoleRx.received, await pidfdRx.received];
      expect(master.data.toString()).to.equal('/dev/pts/0');
      expect(pidfd.data.toString()).to.equal('standard');
      expect(t.pidOfPidfd(pidfd.fd)).to.equal((await c.state()).pid);
      native().close(pidfd.fd);
      const { TerminalStream } = require('../../dist/runtime/terminal-stream');
      const out = t.collect(new TerminalStream({ fd: master.fd, name: 'x' }));
      await c.start();
      expect(await out.closed).to.equal('via socket\r\n');
      // The pty hangs up when the process closes its files, before it is a
      // zombie: delete right away may still find it running.
      await c.wait();
      await c.delete();
    } finally {
      consoleRx.close();
      pidfdRx.close();
    }
  });

  it('consoleSocket without a terminal is refused with runc\'s phrase, and nothing is created', async () => {
    const rx = await t.fdReceiver();
    const id = h.uniqueId('lib');
    try {
      const e = await Container.create({ id, bundle: terminalBundle('true', false), root, consoleSocket: rx.path }).catch((x) => x);
      expect(e).to.be.instanceOf(RuntimeError);
      expect(e.message).to.equal('cannot use console socket if ts-oci will not detach or allocate tty');
      expect(fs.readdirSync(root)).to.not.include(id);
    } finally {
      rx.close();
    }
  });
});
