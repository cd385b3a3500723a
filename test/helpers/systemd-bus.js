'use strict';
// A private D-Bus daemon with test/helpers/fake-systemd.js on it, for the
// systemd driver's integration tests: DBUS_SYSTEM_BUS_ADDRESS points the
// runtime at it (the variable libsystemd and dbus-next read).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

/** Starts dbus-daemon and the fake systemd; resolves to { address, units(), stop() }. */
async function startFakeSystemd() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-bus-'));
  const address = `unix:path=${path.join(dir, 'system_bus_socket')}`;
  // stderr ignored: without CAP_SYS_RESOURCE it complains it cannot raise its fd limit, harmlessly.
  const daemon = spawn('dbus-daemon', ['--session', '--nofork', `--address=${address}`, '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const stateFile = path.join(dir, 'units.json');
  let fake;
  try {
    await waitForLine(daemon, /unix:/, 'dbus-daemon');
    fake = spawn(process.execPath, [path.join(__dirname, 'fake-systemd.js'), address, stateFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForLine(fake, /ready\n/, 'fake-systemd');
  } catch (e) {
    // A daemon left running holds mocha's event loop open: the run never ends.
    fake?.kill('SIGKILL');
    daemon.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    address,
    /** The units the fake holds now: name → { properties, dirs, updates }. */
    units: () => JSON.parse(fs.readFileSync(stateFile, 'utf8')),
    stop: () => {
      fake.kill('SIGKILL');
      daemon.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startFakeSystemd };
