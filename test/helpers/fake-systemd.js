#!/usr/bin/env node
'use strict';
// A stand-in for systemd's Manager on a private D-Bus daemon, for the
// systemd driver's tests on machines without systemd as PID 1 (the VM suite
// runs against the real one). It speaks the D-Bus methods the driver calls
// (StartTransientUnit, SetUnitProperties, StopUnit, ResetFailedUnit,
// Subscribe, the Version property) with systemd's signatures, error names
// and JobRemoved signals, and does what systemd does to the cgroupfs that
// the tests can observe: a scope's directory in each hierarchy systemd
// manages, with the PIDs in it; removed at stop. Every property it received
// is written to STATE_FILE (JSON, uint64 as decimal strings) for the tests.
// A unit named "*failjob*" ends its start job "failed", as systemd's does
// when the scope cannot be set up.
//   usage: fake-systemd.js BUS_ADDRESS STATE_FILE
const fs = require('fs');
const path = require('path');
const dbus = require('dbus-next');
const cg = require('./cgroup-layout');

const [address, stateFile] = process.argv.slice(2);
const MANAGER = 'org.freedesktop.systemd1.Manager';
const PATH = '/org/freedesktop/systemd1';
// The v1 controllers systemd makes a unit's directory in (not cpuset, net_cls, perf_event...).
const SYSTEMD_V1 = ['cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'pids', 'name=systemd'];

const units = new Map();
let jobId = 0;

function save() {
  const out = {};
  for (const [name, u] of units) out[name] = { properties: u.properties, dirs: u.dirs, updates: u.updates };
  fs.writeFileSync(`${stateFile}.tmp`, JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  fs.renameSync(`${stateFile}.tmp`, stateFile);
}

function plain(props) {
  const out = {};
  for (const [name, variant] of props) {
    const v = variant.value;
    out[name] = Buffer.isBuffer(v) ? [...v] : v;
  }
  return out;
}

/** "a-b.slice" → /a.slice/a-b.slice. */
function slicePath(slice) {
  const name = slice.replace(/\.slice$/, '');
  if (name === '-') return '';
  let out = '';
  let prefix = '';
  for (const c of name.split('-')) {
    out += `/${prefix}${c}.slice`;
    prefix += `${c}-`;
  }
  return out;
}

function scopeDirs(slice, unit) {
  return cg
    .hierarchies()
    .filter((h) => h.version === 2 || h.controllers.some((c) => SYSTEMD_V1.includes(c)))
    .map((h) => path.posix.join(h.mountPoint, slicePath(slice), unit));
}

function killAndRemove(dirs) {
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const pid of cg.procsOf(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  for (const dir of dirs) {
    for (let i = 0; i < 100 && fs.existsSync(dir); i++) {
      try {
        cg.removeCgroupDir(dir);
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
  }
}

function error(msg, name, text) {
  return dbus.Message.newError(msg, name, text);
}

/** The job's reply, and its JobRemoved: before the reply for odd jobs (the race a client must survive), after it for even ones. */
function job(bus, msg, unit, result) {
  const id = ++jobId;
  const jobPath = `${PATH}/job/${id}`;
  const signal = dbus.Message.newSignal(PATH, MANAGER, 'JobRemoved', 'uoss', [id, jobPath, unit, result]);
  if (id % 2) bus.send(signal);
  bus.send(dbus.Message.newMethodReturn(msg, 'o', [jobPath]));
  if (!(id % 2)) setTimeout(() => bus.send(signal), 5);
}

function startTransientUnit(bus, msg) {
  const [name, , props] = msg.body;
  if (units.has(name)) return bus.send(error(msg, 'org.freedesktop.systemd1.UnitExists', `Unit ${name} was already loaded or has a fragment file.`));
  const properties = plain(props);
  if (!/\.scope$/.test(name) || !properties.Slice || !properties.PIDs?.length) {
    return bus.send(error(msg, 'org.freedesktop.DBus.Error.InvalidArgs', 'A scope needs a slice and PIDs'));
  }
  const dirs = scopeDirs(properties.Slice, name);
  if (name.includes('failjob')) {
    job(bus, msg, name, 'failed');
    return undefined;
  }
  for (const dir of dirs) {
    fs.mkdirSync(dir, { recursive: true });
    for (const pid of properties.PIDs) fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  }
  units.set(name, { properties, dirs, updates: [] });
  save();
  job(bus, msg, name, 'done');
  return undefined;
}

const handlers = {
  Subscribe: (bus, msg) => bus.send(dbus.Message.newMethodReturn(msg)),
  StartTransientUnit: startTransientUnit,
  SetUnitProperties: (bus, msg) => {
    const [name, , props] = msg.body;
    const u = units.get(name);
    if (!u) return bus.send(error(msg, 'org.freedesktop.systemd1.NoSuchUnit', `Unit ${name} not loaded.`));
    u.updates.push(plain(props));
    save();
    return bus.send(dbus.Message.newMethodReturn(msg));
  },
  StopUnit: (bus, msg) => {
    const [name] = msg.body;
    const u = units.get(name);
    if (!u) return bus.send(error(msg, 'org.freedesktop.systemd1.NoSuchUnit', `Unit ${name} not loaded.`));
    killAndRemove(u.dirs);
    units.delete(name);
    save();
    return job(bus, msg, name, 'done');
  },
  ResetFailedUnit: (bus, msg) => {
    const [name] = msg.body;
    if (!units.has(name)) return bus.send(error(msg, 'org.freedesktop.systemd1.NoSuchUnit', `Unit ${name} not loaded.`));
    return bus.send(dbus.Message.newMethodReturn(msg));
  },
};

async function main() {
  const bus = dbus.sessionBus({ busAddress: address });
  bus.on('error', (e) => {
    console.error(`fake-systemd: ${e.message}`);
    process.exit(1);
  });
  bus.addMethodHandler((msg) => {
    if (msg.path !== PATH) return false;
    if (msg.interface === MANAGER && handlers[msg.member]) {
      handlers[msg.member](bus, msg);
      return true;
    }
    if (msg.interface === 'org.freedesktop.DBus.Properties' && msg.member === 'Get' && msg.body[1] === 'Version') {
      bus.send(dbus.Message.newMethodReturn(msg, 'v', [new dbus.Variant('s', '252.36-1~deb12u1')]));
      return true;
    }
    return false;
  });
  await bus.requestName('org.freedesktop.systemd1', 0);
  save();
  process.stdout.write('ready\n');
}

main().catch((e) => {
  console.error(`fake-systemd: ${e.stack}`);
  process.exit(1);
});
