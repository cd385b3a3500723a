'use strict';
// process.terminal with --console-socket, and --pidfd-socket: what an engine
// receives, and what the container sees of its terminal, from inside it.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const h = require('../helpers/integration');
const t = require('../helpers/terminal');
const { native } = require('../../dist/native');
const { TerminalStream } = require('../../dist/runtime/terminal-stream');

describe('terminals: --console-socket and --pidfd-socket', () => {
  let root;
  const open = [];
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  afterEach(() => {
    for (const x of open.splice(0)) x.close();
  });
  after(() => h.cleanup(root));

  const receiver = async () => {
    const rx = await t.fdReceiver();
    open.push(rx);
    return rx;
  };
  const terminalBundle = (script, edit) => h.makeBundle((c) => {
    c.process.terminal = true;
    c.process.args = ['sh', '-c', script];
    if (edit) edit(c);
  });
  const containers = () => fs.readdirSync(root);

  /** create --console-socket, then the received master as a stream; start is left to the test. */
  async function createWithConsole(bundle, extra = []) {
    const rx = await receiver();
    const id = h.uniqueId('tty');
    const r = h.cli(root, ['create', '--console-socket', rx.path, ...extra, '-b', bundle, id]);
    expect(r.status, r.stderr).to.equal(0);
    // create has returned: the master must be waiting for us already.
    const { fd, data } = await rx.received;
    expect(fd).to.be.at.least(0);
    const pty = new TerminalStream({ fd, name: data.toString() });
    return { id, pty, out: t.collect(pty), name: data.toString() };
  }

  it('sends the master before create returns; the process reads and writes the pty and sees resizes', async () => {
    const b = terminalBundle('tty; stty size; read a; echo "got:$a"; read b; stty size', (c) => {
      c.process.consoleSize = { height: 30, width: 100 };
    });
    const { id, pty, out, name } = await createWithConsole(b);
    expect(name).to.equal('/dev/pts/0');
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    expect(await out.until(/30 100\r\n/)).to.equal('/dev/pts/0\r\n30 100\r\n');
    pty.write('hello\n');
    // The pty echoes what we type, then the process answers.
    await out.until(/got:hello\r\n/);
    expect(out.text).to.contain('30 100\r\nhello\r\ngot:hello\r\n');
    pty.resize(55, 22);
    pty.write('\n');
    expect(await out.closed).to.match(/got:hello\r\n\r\n22 55\r\n$/);
  });

  it('/dev/console is the pty, a devpts char device; the pty is fds 0-2 and the controlling terminal', async () => {
    const b = terminalBundle(
      'stat -c "%t %F" /dev/console; stat -f -c %T /dev/console; for f in 0 1 2; do readlink /proc/self/fd/$f; done; '
      + 'echo ctty > /dev/tty; set -- $(cat /proc/$$/stat); [ "$6" = $$ ] && echo session leader; '
      // The same pty as fds 0-2, not just any devpts terminal.
      + '[ "$(stat -L -c %t:%T /dev/console)" = "$(stat -L -c %t:%T /proc/self/fd/0)" ] && echo same pty',
    );
    const { id, out } = await createWithConsole(b);
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    const [console, fsType, ...rest] = (await out.closed).split('\r\n');
    // Unix98 pty peers have majors 136-143 (0x88-0x8f).
    expect(console).to.match(/^8[89a-f] character special file$/);
    expect(fsType).to.equal('devpts');
    expect(rest).to.deep.equal(['/dev/pts/0', '/dev/pts/0', '/dev/pts/0', 'ctty', 'session leader', 'same pty', '']);
  });

  it('a non-root process owns its terminal', async () => {
    const b = terminalBundle('stat -c %u "$(tty)"; echo ok > /dev/tty', (c) => (c.process.user = { uid: 1000, gid: 1000 }));
    const { id, out } = await createWithConsole(b);
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    expect(await out.closed).to.equal('1000\r\nok\r\n');
  });

  it('output written just before the process exits all arrives', async () => {
    const { id, out } = await createWithConsole(terminalBundle('seq 1 5000'));
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    const lines = (await out.closed).split('\r\n');
    expect(lines).to.have.length(5001);
    expect(lines.slice(-2)).to.deep.equal(['5000', '']);
  });

  it('works in a joined pid namespace (the helper forks into it and starts its own session)', async () => {
    const holder = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const hid = h.uniqueId('pidns');
    expect(h.cli(root, ['run', '-d', '-b', holder, hid]).status).to.equal(0);
    const { pid } = JSON.parse(h.cli(root, ['state', hid]).stdout);
    const b = terminalBundle('tty; echo ctty > /dev/tty', (c) => {
      c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === 'pid' ? { type: 'pid', path: `/proc/${pid}/ns/pid` } : n));
    });
    const { id, out } = await createWithConsole(b);
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    expect(await out.closed).to.equal('/dev/pts/0\r\nctty\r\n');
  });

  describe('refused as runc refuses', () => {
    const refuse = (args, bundle, message) => {
      const id = h.uniqueId('no');
      const r = h.cli(root, [...args, '-b', bundle, id]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal(`ts-oci: ${args[0]} ${id}: ${message}\n`);
      expect(containers()).to.not.include(id);
    };
    const tty = () => terminalBundle('true');

    it('a terminal without a console socket when ts-oci detaches (create, run -d)', () => {
      const msg = 'cannot allocate tty if ts-oci will detach without setting console socket';
      refuse(['create'], tty(), msg);
      refuse(['run', '-d'], tty(), msg);
    });

    it('a console socket without a terminal, or in the foreground', async () => {
      const rx = await receiver();
      const msg = 'cannot use console socket if ts-oci will not detach or allocate tty';
      refuse(['create', '--console-socket', rx.path], h.makeBundle(), msg);
      refuse(['run', '--console-socket', rx.path], tty(), msg);
    });

    it('a console socket nobody listens on, before anything is created', () => {
      const missing = path.join(h.work, 'no-such.sock');
      refuse(['create', '--console-socket', missing], tty(), `connect to console socket ${missing}: ENOENT`);
    });
  });

  it('a /dev/pts that is not a devpts fails create cleanly, naming the ptmx (CVE-2025-52565)', async () => {
    const fake = fs.mkdtempSync(path.join(h.work, 'fake-pts-'));
    fs.symlinkSync('/proc/sys/kernel/core_pattern', path.join(fake, '0'));
    fs.writeFileSync(path.join(fake, 'ptmx'), '');
    const corePattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
    try {
      const b = terminalBundle('true', (c) => {
        c.mounts = c.mounts.map((m) => (m.destination === '/dev/pts'
          ? { destination: '/dev/pts', type: 'bind', source: fake, options: ['rbind'] } : m));
      });
      const rx = await receiver();
      const id = h.uniqueId('fake');
      const r = h.cli(root, ['create', '--console-socket', rx.path, '-b', b, id]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal(`ts-oci: create ${id}: set up the terminal from /dev/pts/ptmx: /dev/pts/ptmx is not the ptmx of a devpts mount\n`);
      expect(containers()).to.not.include(id);
    } finally {
      fs.rmSync(fake, { recursive: true, force: true });
    }
    expect(fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8')).to.equal(corePattern);
  });

  it('an image /dev/console symlink to a procfs file is replaced, not bound over (CVE-2025-52565)', async () => {
    const b = terminalBundle('stat -c %F /dev/console; stat -f -c %T /dev/console; cat /proc/sys/kernel/core_pattern', (c) => {
      // No /dev tmpfs: the image's own /dev, where it planted the link.
      c.mounts = c.mounts.filter((m) => m.destination !== '/dev');
    });
    fs.symlinkSync('/proc/sys/kernel/core_pattern', path.join(b, 'rootfs/dev/console'));
    const corePattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
    const { id, out } = await createWithConsole(b);
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    expect(await out.closed).to.equal(`character special file\r\ndevpts\r\n${corePattern.trimEnd()}\r\n`);
    expect(fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8')).to.equal(corePattern);
  });

  it('--pidfd-socket receives a pidfd of the init, named by runc\'s init type', async () => {
    const rx = await receiver();
    const id = h.uniqueId('pidfd');
    const b = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const r = h.cli(root, ['create', '--pidfd-socket', rx.path, '-b', b, id]);
    expect(r.status, r.stderr).to.equal(0);
    const { fd, data } = await rx.received;
    try {
      expect(data.toString()).to.equal('standard');
      expect(t.pidOfPidfd(fd)).to.equal(JSON.parse(h.cli(root, ['state', id]).stdout).pid);
      native().pidfdSendSignal(fd, 9);
    } finally {
      native().close(fd);
    }
    h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped', 'killed through the pidfd');
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
  });
});
