'use strict';
// exec with a terminal: `exec -t` in the foreground (relayed through a real
// pty), `exec -d -t --console-socket`, --pidfd-socket, and the library's
// exec(..., { terminal: true }).
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const h = require('../helpers/integration');
const t = require('../helpers/terminal');
const { native } = require('../../dist/native');
const { TerminalStream } = require('../../dist/runtime/terminal-stream');
const { Container } = require('../../dist/index.js');

describe('terminals: exec', () => {
  let root;
  let id;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
    id = h.uniqueId('execpty');
    const b = h.makeBundle((c) => {
      c.process.args = ['sleep', '100000'];
      c.hostname = 'tty-host';
    });
    const r = h.cli(root, ['run', '-d', '-b', b, id]);
    if (r.status !== 0) throw new Error(r.stderr);
  });
  after(() => h.cleanup(root));

  const exec = (args) => `${h.bin} --root ${root} exec ${args}`;
  const modeAround = (command) => `stty -echo; stty -g; echo BEGIN; ${command}; echo "END $?"; stty -g`;
  const parse = (output) => {
    const m = /^(?:[^\n]*\n)*?([0-9a-f:]+)\nBEGIN\n([\s\S]*)END (\d+)\n([0-9a-f:]+)\n$/.exec(output);
    if (!m) throw new Error(`unexpected output ${JSON.stringify(output)}`);
    return { before: m[1], inside: m[2], status: Number(m[3]), after: m[4] };
  };
  const ptmxFds = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /ptmx$/.test(fs.readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  });

  it('exec -t relays our pty: the process has its own terminal, typed input, its status; our mode is restored', () => {
    const r = t.inPty(modeAround(`stty cols 90 rows 30; ${exec(`-t ${id} sh -c 'read a; tty; stty size; hostname; echo "got:$a"; exit 6'`)}`), 'typed\n');
    const { before, inside, status, after } = parse(r.output);
    // The process's pty echoes the line as it arrives, before `read` returns it.
    expect(inside).to.match(/^typed\n\/dev\/pts\/\d+\n30 90\ntty-host\ngot:typed\n$/);
    expect(status).to.equal(6);
    expect(after).to.equal(before);
  });

  it('exec -t returns when the process exits, though what it left in the background holds the pty', () => {
    const r = t.inPty(modeAround(exec(`-t ${id} sh -c 'sleep 100000 & echo started'`)));
    const { before, inside, status, after } = parse(r.output);
    expect(inside).to.equal('started\n');
    expect(status).to.equal(0);
    expect(after).to.equal(before);
    h.cli(root, ['exec', id, 'pkill', '-f', 'sleep 100000 &']);
  });

  it('exec -d -t --console-socket --pidfd-socket: the master and a pidfd of the process, before exec returns', async () => {
    const [consoleRx, pidfdRx] = [await t.fdReceiver(), await t.fdReceiver()];
    const pidFile = path.join(h.work, `exec-${process.pid}.pid`);
    try {
      const r = h.cli(root, ['exec', '-d', '-t', '--console-socket', consoleRx.path, '--pidfd-socket', pidfdRx.path,
        '--pid-file', pidFile, id, 'sh', '-c', 'tty; read a; echo "got:$a"; stty size']);
      expect(r.status, r.stderr).to.equal(0);
      const [master, pidfd] = [await consoleRx.received, await pidfdRx.received];
      expect(master.data.toString()).to.match(/^\/dev\/pts\/\d+$/);
      expect(pidfd.data.toString()).to.equal('setns');
      expect(t.pidOfPidfd(pidfd.fd)).to.equal(Number(fs.readFileSync(pidFile, 'utf8')));
      native().close(pidfd.fd);
      const pty = new TerminalStream({ fd: master.fd, name: master.data.toString() });
      const out = t.collect(pty);
      await out.until(/\/dev\/pts\/\d+\r\n/);
      pty.resize(70, 21);
      pty.write('over the socket\n');
      expect(await out.closed).to.equal(`${master.data}\r\nover the socket\r\ngot:over the socket\r\n21 70\r\n`);
    } finally {
      consoleRx.close();
      pidfdRx.close();
      fs.rmSync(pidFile, { force: true });
    }
  });

  it('runc\'s refusals: -d -t without a socket, a socket without -t or in the foreground', async () => {
    const rx = await t.fdReceiver();
    try {
      const refused = (args, message) => {
        const r = h.cli(root, ['exec', ...args, id, 'true']);
        expect(r.status).to.equal(255);
        expect(r.stderr).to.equal(`ts-oci: exec ${id}: ${message}\n`);
      };
      refused(['-d', '-t'], 'cannot allocate tty if ts-oci will detach without setting console socket');
      refused(['-d', '--console-socket', rx.path], 'cannot use console socket if ts-oci will not detach or allocate tty');
      refused(['-t', '--console-socket', rx.path], 'cannot use console socket if ts-oci will not detach or allocate tty');
    } finally {
      rx.close();
    }
  });

  describe('the library', () => {
    let c;
    before(async () => {
      c = await Container.load(id, { root });
    });

    it('exec(..., { terminal: true }): the process\'s pty as p.terminal, with resize; wait() gives the status', async () => {
      const p = await c.exec({ args: ['sh', '-c', 'tty; read a; echo "got:$a"; stty size; exit 3'] }, { terminal: true });
      expect(p.stdin).to.equal(null);
      const out = t.collect(p.terminal);
      await out.until(/\/dev\/pts\/\d+\r\n/);
      p.terminal.resize(100, 33);
      p.terminal.write('lib\n');
      expect(await p.wait()).to.equal(3);
      expect(await out.closed).to.match(/^\/dev\/pts\/\d+\r\nlib\r\ngot:lib\r\n33 100\r\n$/);
    });

    it('a terminal with stdio is refused', async () => {
      const e = await c.exec({ args: ['true'] }, { terminal: true, stdio: 'pipe' }).catch((x) => x);
      expect(e.message).to.equal('exec: a terminal is the process\'s stdio; do not give stdio with it');
    });

    it('20 concurrent execs with terminals: every one answers on its own pty, all reaped, no master left open', async () => {
      const before = ptmxFds().length;
      const runs = Array.from({ length: 20 }, async (_, i) => {
        const p = await c.exec({ args: ['sh', '-c', `echo "n=${i} $(tty)"`] }, { terminal: true });
        const out = t.collect(p.terminal);
        const status = await p.wait();
        return { status, text: await out.closed };
      });
      const results = await Promise.all(runs);
      results.forEach(({ status, text }, i) => {
        expect(status).to.equal(0);
        expect(text).to.match(new RegExp(`^n=${i} /dev/pts/\\d+\\r\\n$`));
      });
      expect(new Set(results.map((r) => r.text.split(' ')[1])).size).to.be.above(1);
      // A master's 'close' event can come before its descriptor's async
      // close finishes: let the loop turn (a leaked one never closes).
      for (let i = 0; i < 100 && ptmxFds().length !== before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(ptmxFds().length).to.equal(before);
    });
  });
});
