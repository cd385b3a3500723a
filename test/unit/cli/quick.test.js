'use strict';
// The quick commands (lib/cli/quick.ts) parse without commander: they must
// say exactly what the whole CLI says, take only the shapes they know, and
// keep their flag tables in step with commander's definitions.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { quickMain, scanFlags, QUICK_COMMANDS, QUICK_GLOBALS } = require('../../../dist/cli/quick');
const { buildProgram } = require('../../../dist/cli/program');

const repo = path.resolve(__dirname, '../../..');
const bin = path.join(repo, 'bin/ts-oci');

describe('cli quick commands', () => {
  let tmp;
  let root;
  let sleeper;
  let fullCli;
  let makeRoot;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-quick-'));
    root = path.join(tmp, 'root');
    // The whole CLI alone, as bin/ts-oci runs it for a command line quick.ts leaves.
    fullCli = path.join(tmp, 'full.js');
    fs.writeFileSync(fullCli, `require(${JSON.stringify(path.join(repo, 'dist/code-cache.js'))})` +
      `.requireWithCodeCache(${JSON.stringify(path.join(repo, 'dist/cli.js'))})` +
      '.main(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n');
    fs.writeFileSync(path.join(tmp, 'dump.js'),
      `process.on('exit', () => require('fs').writeFileSync(process.env.DUMP, JSON.stringify(Object.keys(require.cache))));\n`);
    sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
    const stat = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    // Written afresh before each run: delete and kill change it.
    makeRoot = () => {
      fs.rmSync(root, { recursive: true, force: true });
      const record = (id, pid, start) => {
        fs.mkdirSync(path.join(root, id), { recursive: true });
        fs.writeFileSync(path.join(root, id, 'state.json'), JSON.stringify({
          ociVersion: '1.3.0', id, status: 'running', pid, bundle: tmp,
          created: '2026-12-02T10:00:00.000Z', startTime: start, startSteps: {},
        }));
      };
      record('live', sleeper.pid, startTime);
      // A pid that is not the recorded process (start time differs): stopped.
      record('gone', process.pid, 1);
    };
    makeRoot();
  });
  after(() => {
    sleeper.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // Which files of dist/ the process loaded (written at exit to DUMP): tells the two paths apart.
  const loadedFiles = (dump) => JSON.parse(fs.readFileSync(dump, 'utf8'))
    .filter((f) => f.startsWith(path.join(repo, 'dist'))).map((f) => path.relative(repo, f));
  const run = (file, args) => {
    const dump = path.join(tmp, 'loaded.json');
    const r = spawnSync(process.execPath, ['-r', path.join(tmp, 'dump.js'), file, ...args], { encoding: 'utf8', env: { ...process.env, DUMP: dump } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded: loadedFiles(dump) };
  };
  const listing = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).sort() : []);
  const withoutTime = (text) => text.replace(/"time":"[^"]+"|time="[^"]+"/g, 'TIME');

  const sameAsFull = [
    ['--help'],
    ['-h'],
    ['--log-format', 'json', '--help'],
    ['--version'],
    ['-v'],
    ['--root', '/nowhere', '--version'],
    ['list'],
    ['list', '--format', 'json'],
    ['list', '--format=json'],
    ['list', '-f', 'json'],
    ['list', '-format', 'json'],
    ['list', '-q'],
    ['list', '--quiet', '--format', 'table'],
    ['list', '--format', 'yaml'],
    ['state', 'live'],
    ['state', 'gone'],
    ['state', 'absent'],
    ['state', 'bad/id'],
    ['kill', 'absent'],
    ['kill', 'gone', 'KILL'],
    ['kill', 'live', 'NOSUCH'],
    ['kill', 'live', 'CONT'],
    ['kill', '--all', 'gone', 'CONT'],
    ['kill', 'live', '-a', 'CONT'],
    ['kill', '-all', 'gone', 'CONT'],
    ['--log-format', 'json', 'state', 'absent'],
    ['--cgroup-manager=cgroupfs', 'state', 'live'],
    ['--systemd-cgroup', 'list', '-q'],
    ['--rootless', 'true', 'list'],
    ['start', 'absent'],
    ['start', 'live'],
    ['start', 'gone'],
    ['delete', 'absent'],
    ['delete', '--force', 'absent'],
    ['delete', '-f', 'absent'],
    ['delete', 'live'],
    ['delete', 'gone'],
    ['delete', 'gone', '--force'],
  ];

  for (const args of sameAsFull) {
    it(`${args.join(' ')}: taken, and the same output, status and log as the whole CLI`, () => {
      const logs = ['quick', 'full'].map((k) => path.join(tmp, `${k}-${args.join('_').replace(/\//g, '')}.log`));
      const line = (log) => ['--root', root, '--log', log, ...args];
      makeRoot();
      const { loaded: quickLoaded, ...quick } = run(bin, line(logs[0]));
      const quickRoot = listing(root);
      makeRoot();
      const { loaded: fullLoaded, ...full } = run(fullCli, line(logs[1]));
      expect(quickLoaded, 'bin/ts-oci took the quick path').to.deep.equal(['dist/code-cache.js', 'dist/quick.js']);
      expect(quickRoot, 'what is left in --root').to.deep.equal(listing(root));
      expect(fullLoaded).to.include('dist/cli.js');
      expect(quick).to.deep.equal(full);
      const read = (f) => (fs.existsSync(f) ? withoutTime(fs.readFileSync(f, 'utf8')) : '');
      expect(read(logs[0])).to.equal(read(logs[1]));
    });
  }

  it('no arguments at all: the help, from the quick path', () => {
    const { loaded, ...quick } = run(bin, []);
    const { loaded: fullLoaded, ...full } = run(fullCli, []);
    expect(loaded).to.deep.equal(['dist/code-cache.js', 'dist/quick.js']);
    expect(fullLoaded).to.include('dist/cli.js');
    expect(quick).to.deep.equal(full);
    expect(quick.stdout).to.match(/^Usage: ts-oci /);
  });

  it('the comparison can fail: a shape quick.ts leaves goes to the whole CLI', () => {
    const r = run(bin, ['--root', root, 'state', 'live', 'extra']);
    expect(r.loaded).to.deep.equal(['dist/code-cache.js', 'dist/quick.js', 'dist/cli.js']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/too many arguments/);
    // A line without a quick word does not even load quick.js.
    expect(run(bin, ['--root', root, 'pause', 'absent']).loaded).to.deep.equal(['dist/code-cache.js', 'dist/cli.js']);
  });

  it('leaves every other shape to the whole CLI, untouched', () => {
    for (const args of [
      ['help'], ['state', '--help'], ['--help', 'state'], ['--help=1'], ['--version', '--help'], ['--debug', 'state', 'x'], ['state'], ['state', 'a', 'b'],
      ['state', '--', 'x'], ['state', '-x'], ['list', 'x'], ['list', '-fjson'], ['list', '-f=json'], ['list', '--quiet=1'],
      ['list', '--format'], ['kill'], ['kill', 'a', 'b', 'c'], ['kill', '-9', 'x'],
      ['--bogus', 'state', 'x'], ['--root'], ['--log-format', 'yaml', 'state', 'x'], ['--version', 'state'],
      ['--version=1'], ['--cgroup-manager', 'bogus', 'list'], ['--systemd-cgroup', '--cgroup-manager', 'cgroupfs', 'list'],
      ['create', 'x'], ['run', 'x'], ['exec', 'x', 'sh'], ['ps', 'x'], ['pause', 'x'], ['start'], ['delete', 'a', 'b'], ['delete', '--bogus', 'x'], ['constructor'], ['--constructor', 'list'], ['toString'],
      ['--root', '/r', 'list', '--root', '/s'],
      // Program flags out of place, or taken as a value (program.ts registers no command then).
      ['--root', '--version'], ['--log', '-v'], ['--root', '--version', '--help'], ['--help', 'list', '--help'],
      ['-h', 'state', 'x', '-h'], ['--help', 'list', '-v', '-h'], ['--help', 'state', '--', '-h'],
      // What argv.ts does not rewrite: a line break in a single-dash value, anything after a `--` taken as a value.
      ['list', '-format=a\nb'], ['-root=/r\nx', 'list'], ['list', '-f', '--', '-quiet'], ['--log', '--', '-log-format', 'json', 'list'],
    ]) {
      expect(quickMain(args), args.join(' ')).to.equal(undefined);
    }
  });

  it('reads flags as commander does: both dash forms of long names, =value, the next word as a value, the last one winning', () => {
    const spec = { long: { format: true, quiet: false }, short: { f: 'format', q: 'quiet' } };
    expect(scanFlags(['--format', '--quiet', '-q'], spec, false)).to.deep.equal({ values: { format: '--quiet', quiet: true }, positionals: [], rest: [] });
    expect(scanFlags(['-format=a', '--format=b=c', 'x'], spec, false)).to.deep.equal({ values: { format: 'b=c' }, positionals: ['x'], rest: [] });
    expect(scanFlags(['-q', 'verb', '--format'], spec, true)).to.deep.equal({ values: { quiet: true }, positionals: [], rest: ['verb', '--format'] });
    expect(scanFlags(['-Q'], spec, false)).to.equal(undefined);
    expect(scanFlags(['-qf'], spec, false)).to.equal(undefined);
  });

  it('its flag tables are commander\'s: each long name, its letter, whether it takes a value, the arguments', () => {
    const table = (options) => {
      const long = {};
      const short = {};
      for (const o of options) {
        const name = o.long.replace(/^--/, '');
        long[name] = o.required || o.optional;
        if (o.short) short[o.short.replace(/^-/, '')] = name;
      }
      return { long, short };
    };
    const { program } = buildProgram();
    expect(QUICK_GLOBALS).to.deep.equal(table([...program.options, program._getHelpOption()]));
    for (const [name, quick] of Object.entries(QUICK_COMMANDS)) {
      const cmd = program.commands.find((c) => c.name() === name);
      expect(quick.flags, name).to.deep.equal(table(cmd.options.filter((o) => o.long !== '--help')));
      const args = cmd.registeredArguments;
      expect(quick.args, name).to.deep.equal([args.filter((a) => a.required).length, args.length]);
    }
  });
});
