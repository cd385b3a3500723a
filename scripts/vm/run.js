#!/usr/bin/env node
'use strict';
// Usage: node scripts/vm/run.js --layout v1|v2|systemd [--timeout SECONDS] -- CMD [ARG...]
//        node scripts/vm/run.js --prepare   (fetch every layout's kernel into the cache)
//
// Runs CMD as root, in the current directory, inside a small qemu VM (TCG)
// that boots a Debian kernel with a pure cgroup v1 or pure cgroup v2 layout
// and sees this machine's root filesystem read-only (writes go to a tmpfs
// overlay in the guest). Exits with CMD's status; a VM that does not boot
// or never reports the status is a failure with one "ts-oci-vm:" line.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const here = __dirname;
// v1 needs a kernel with the v1 memory and cpuset controllers: Debian's
// 6.12 builds without them (CONFIG_MEMCG_V1, CONFIG_CPUSETS_V1), 6.1 has them.
const LAYOUTS = {
  v2: { series: '6.12', cmdline: ['cgroup_no_v1=all', 'systemd.unified_cgroup_hierarchy=1'] },
  v1: { series: '6.1', cmdline: [] },
  // systemd as PID 1 on the v2 kernel, booting into the one target guest-systemd.sh writes;
  // no AppArmor or SELinux, as on the hosts (Docker would load its AppArmor profile with a parser the root lacks).
  systemd: { series: '6.12', cmdline: ['cgroup_no_v1=all', 'systemd.unified_cgroup_hierarchy=1', 'apparmor=0', 'selinux=0'] },
};

function die(message) {
  process.stderr.write(`ts-oci-vm: ${message}\n`);
  process.exit(125);
}

function parseArgs(argv) {
  const opts = { layout: undefined, timeout: 600, command: [], prepare: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      opts.command = argv.slice(i + 1);
      break;
    }
    if (a === '--prepare') opts.prepare = true;
    else if (a === '--layout') opts.layout = argv[++i];
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else die(`unknown argument ${a}`);
  }
  if (opts.prepare) return opts;
  if (!LAYOUTS[opts.layout]) die(`--layout ${Object.keys(LAYOUTS).join('|')} is required`);
  if (!(opts.timeout > 0)) die('--timeout needs a number of seconds');
  if (opts.command.length === 0) die('no command after --');
  return opts;
}

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

function kernelDir(series) {
  const r = spawnSync('bash', [path.join(here, 'fetch-kernel.sh'), series], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) die(`cannot fetch a ${series} kernel (fetch-kernel.sh exited ${r.status})`);
  return r.stdout.trim().split('\n').pop();
}

function buildInitramfs(kernel, out) {
  const r = spawnSync('bash', [path.join(here, 'build-initramfs.sh'), kernel, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) die(`cannot build the initramfs (build-initramfs.sh exited ${r.status})`);
}

function qemuArgs(kernel, initramfs, io, layout) {
  // A hung task or a soft lockup panics (the VM ends with the kernel's trace
  // at once) rather than stalling the run until the time limit.
  const watchdogs = ['softlockup_panic=1', 'hung_task_panic=1', 'hung_task_timeout_secs=120'];
  const append = ['console=ttyS0', 'panic=-1', 'quiet', 'printk.time=1', ...watchdogs, `tsocivm_layout=${layout}`, ...LAYOUTS[layout].cmdline];
  // One vCPU: with two, QEMU 7.2's multi-threaded TCG sometimes lets a vCPU
  // run kernel text another vCPU just patched (static keys) from a stale
  // translation: "Oops: int3" in the scheduler, or a silent hang.
  return [
    '-accel', 'tcg', '-cpu', 'max', '-display', 'none', '-vga', 'none', '-serial', 'stdio', '-monitor', 'none', '-m', '2048', '-smp', '1', '-no-reboot', '-nic', 'none',
    '-kernel', path.join(kernel, 'vmlinuz'), '-initrd', initramfs, '-append', append.join(' '),
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-virtfs', `local,path=${io},mount_tag=tsocivmio,security_model=none,multidevs=remap`,
  ];
}

/** Serial output without the tty's carriage returns. */
function relay(from, to) {
  from.on('data', (chunk) => to.write(chunk.toString('latin1').replace(/\r/g, ''), 'latin1'));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.prepare) {
    for (const [layout, { series }] of Object.entries(LAYOUTS)) console.log(`${layout}: ${kernelDir(series)}`);
    return;
  }
  const kernel = kernelDir(LAYOUTS[opts.layout].series);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-vm-'));
  const io = path.join(tmp, 'io');
  fs.mkdirSync(io);
  const initramfs = path.join(tmp, 'initramfs.gz');
  buildInitramfs(kernel, initramfs);
  fs.writeFileSync(path.join(io, 'command'), `cd ${quote(process.cwd())} || exit 125\n${opts.command.map(quote).join(' ')}\n`);

  const started = Date.now();
  const qemu = spawn('qemu-system-x86_64', qemuArgs(kernel, initramfs, io, opts.layout), { stdio: ['ignore', 'pipe', 'pipe'] });
  relay(qemu.stdout, process.stdout);
  relay(qemu.stderr, process.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    qemu.kill('SIGKILL');
  }, opts.timeout * 1000);
  qemu.on('error', (err) => die(`cannot start qemu-system-x86_64: ${err.message} (install qemu-system-x86)`));
  qemu.on('exit', (code, signal) => {
    clearTimeout(timer);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    let status;
    try {
      status = fs.readFileSync(path.join(io, 'status'), 'utf8').trim();
    } catch {
      status = undefined;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    if (timedOut) die(`the ${opts.layout} VM was killed after the ${opts.timeout} s time limit; the command's status never arrived`);
    if (status === undefined) die(`the ${opts.layout} VM ended (qemu ${signal || `exit ${code}`}) after ${seconds} s without reporting the command's status`);
    if (!/^\d+$/.test(status)) die(`the ${opts.layout} VM did not boot (${status})`);
    process.stderr.write(`ts-oci-vm: ${opts.layout} VM: command exited ${status}, VM ran ${seconds} s\n`);
    process.exit(Number(status));
  });
}

main();
