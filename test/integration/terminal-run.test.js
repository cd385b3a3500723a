'use strict';
// A foreground `run` with a terminal: ts-oci relays the real pty it runs in
// (util-linux `script`) to the container's, and leaves that pty's mode as
// it found it. Also the default `ts-oci spec` config, which asks for a
// terminal, with `run` and with `create --console-socket`.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const t = require('../helpers/terminal');
const { TerminalStream } = require('../../dist/runtime/terminal-stream');

describe('terminals: run in the foreground, and the default spec', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const terminalBundle = (script) => h.makeBundle((c) => {
    c.process.terminal = true;
    c.process.args = ['sh', '-c', script];
  });
  const run = (bundle) => `${h.bin} --root ${root} run -b ${bundle} ${h.uniqueId('fg')}`;
  /**
   * `stty -g` before and after the command, in the same pty, around markers.
   * The pty stops echoing first: `script` types our input at once, and what
   * is typed before ts-oci makes the pty raw would be echoed by it too.
   */
  const modeAround = (command) => `stty -echo; stty -g; echo BEGIN; ${command}; echo "END $?"; stty -g`;
  const parse = (output) => {
    // Before `stty -echo` ran, the pty echoed what script typed ahead: skip it.
    const m = /^(?:[^\n]*\n)*?([0-9a-f:]+)\nBEGIN\n([\s\S]*)END (\d+)\n([0-9a-f:]+)\n$/.exec(output);
    if (!m) throw new Error(`unexpected output ${JSON.stringify(output)}`);
    return { before: m[1], inside: m[2], status: Number(m[3]), after: m[4] };
  };

  it('relays the caller\'s pty: the process has a terminal of its own, the exit status comes back, the mode is restored', () => {
    const b = terminalBundle('tty; stty size; [ -t 0 ] && echo stdin is a tty; exit 7');
    const r = t.inPty(modeAround(`stty cols 77 rows 11; ${run(b)}`));
    expect(r.status).to.equal(0);
    const { before, inside, status, after } = parse(r.output);
    // Our window size, not a default, and the container's own pty, not ours.
    expect(inside).to.equal('/dev/pts/0\n11 77\nstdin is a tty\n');
    expect(status).to.equal(7);
    expect(after).to.equal(before);
  });

  it('what is typed reaches the process through its pty, which echoes it', () => {
    const b = terminalBundle('read a; echo "got:$a"');
    const r = t.inPty(modeAround(run(b)), 'hello world\n');
    const { before, inside, status, after } = parse(r.output);
    expect(status).to.equal(0);
    expect(inside).to.equal('hello world\ngot:hello world\n');
    expect(after).to.equal(before);
  });

  it('our pty is raw while the container runs (its own pty does the line discipline)', () => {
    const b = terminalBundle('touch /ready; while [ ! -e /go ]; do sleep 0.05; done');
    const [ready, go] = ['ready', 'go'].map((f) => path.join(b, 'rootfs', f));
    // ts-oci in the background of the pty's shell, its stdin still the pty: the shell looks at the mode meanwhile.
    const r = t.inPty(modeAround(
      `${run(b)} </dev/tty & p=$!; while [ ! -e ${ready} ]; do sleep 0.05; done; `
      + `stty -a | tr " " "\\n" | grep -x -e -isig -e -icanon -e -echo -e -icrnl; touch ${go}; wait $p`,
    ));
    const { before, inside, status, after } = parse(r.output);
    expect(status).to.equal(0);
    expect(inside).to.equal('-icrnl\n-isig\n-icanon\n-echo\n');
    expect(after).to.equal(before);
  });

  it('SIGWINCH resizes the container\'s pty to ours', () => {
    const b = terminalBundle('trap "stty size; exit 0" WINCH; stty size; touch /ready; while :; do sleep 0.1; done');
    const ready = path.join(b, 'rootfs/ready');
    // ts-oci runs in the background of the pty's shell (stdin /dev/null, stdout the pty);
    // once the container is ready the shell resizes the pty, which signals its process group.
    const r = t.inPty(modeAround(
      `stty cols 50 rows 20; ${run(b)} & p=$!; while [ ! -e ${ready} ]; do sleep 0.05; done; stty cols 61 rows 23; wait $p`,
    ));
    const { inside, status } = parse(r.output);
    expect(status).to.equal(0);
    expect(inside).to.equal('20 50\n23 61\n');
  });

  it('our pty is restored when start fails after the relay began', () => {
    // A startContainer hook runs at start, after create handed us the pty.
    const b = h.makeBundle((c) => {
      c.process.terminal = true;
      c.hooks = { startContainer: [{ path: '/bin/false' }] };
    });
    const r = t.inPty(modeAround(run(b)));
    const { before, inside, status, after } = parse(r.output);
    expect(status).to.equal(1);
    expect(inside).to.match(/^ts-oci: run fg-\d+-\d+: hook startContainer \/bin\/false: .*\n$/);
    expect(after).to.equal(before);
  });

  describe('the default `ts-oci spec` config (terminal: true, read-only root)', () => {
    const specBundle = () => {
      const b = h.makeBundle();
      fs.rmSync(path.join(b, 'config.json'));
      const r = spawnSync(h.bin, ['spec'], { cwd: b, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(JSON.parse(fs.readFileSync(path.join(b, 'config.json'), 'utf8')).process.terminal).to.equal(true);
      return b;
    };

    it('runs with `run` in a pty: an interactive sh', () => {
      const r = t.inPty(modeAround(run(specBundle())), 'echo "hi $((6*7))"; exit 3\n');
      const { before, inside, status, after } = parse(r.output);
      expect(inside).to.contain('hi 42\n');
      expect(status).to.equal(3);
      expect(after).to.equal(before);
    });

    it('runs with `create --console-socket`', async () => {
      const rx = await t.fdReceiver();
      try {
        const id = h.uniqueId('spec');
        const c = h.cli(root, ['create', '--console-socket', rx.path, '-b', specBundle(), id]);
        expect(c.status, c.stderr).to.equal(0);
        const { fd, data } = await rx.received;
        const pty = new TerminalStream({ fd, name: data.toString() });
        const out = t.collect(pty);
        expect(h.cli(root, ['start', id]).status).to.equal(0);
        pty.write('echo "hi $((6*7))"; hostname; exit 4\n');
        const text = await out.closed;
        expect(text).to.contain('hi 42\r\nts-oci\r\n');
        h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped', 'sh exited');
        expect(h.cli(root, ['delete', id]).status).to.equal(0);
      } finally {
        rx.close();
      }
    });
  });
});
