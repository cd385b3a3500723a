'use strict';
// linux.resources → unit properties, as runc's systemd drivers send them.
const { expect } = require('chai');
const { v1ResourceProperties, v2ResourceProperties, unifiedProperties } = require('../../../../dist/cgroups/systemd/resource-properties');
const { cpuQuotaProperties, rangeToBits } = require('../../../../dist/cgroups/systemd/cpu-properties');
const { deviceProperties, deviceGroup } = require('../../../../dist/cgroups/systemd/device-properties');
const { ConfigError } = require('../../../../dist/errors');
const { catchError } = require('../../../helpers/catch-error');

const MAX = 0xffffffffffffffffn;
const NEW = { systemdVersion: 252 };
const byName = (props) => Object.fromEntries(props.map((p) => [p.name, p.value]));

describe('cgroups/systemd/properties', () => {
  it('v2: MemoryMax, MemoryLow, MemorySwapMax (swap minus limit), CPUWeight, TasksMax, IOWeight', () => {
    const p = v2ResourceProperties(
      { memory: { limit: 256 << 20, reservation: 128 << 20, swap: 512 << 20 }, cpu: { shares: 1024 }, pids: { limit: 100 }, blockIO: { weight: 500 } },
      NEW,
    );
    expect(byName(p)).to.deep.equal({
      MemoryMax: BigInt(256 << 20),
      MemoryLow: BigInt(128 << 20),
      MemorySwapMax: BigInt(256 << 20),
      CPUWeight: 100n,
      TasksMax: 100n,
      IOWeight: 4950n,
    });
    expect(p.every((x) => x.signature === 't')).to.equal(true);
  });

  it('v1: MemoryLimit, CPUShares, BlockIOWeight, TasksMax', () => {
    const p = v1ResourceProperties({ memory: { limit: 1 << 30 }, cpu: { shares: 512 }, blockIO: { weight: 300 }, pids: { limit: -1 } }, NEW);
    expect(byName(p)).to.deep.equal({ MemoryLimit: BigInt(1 << 30), CPUShares: 512n, BlockIOWeight: 300n, TasksMax: MAX });
  });

  it('-1 is systemd infinity; unlimited memory without swap is unlimited swap', () => {
    expect(byName(v2ResourceProperties({ memory: { limit: -1 } }, NEW))).to.deep.equal({ MemoryMax: MAX, MemorySwapMax: MAX });
  });

  it('CPUQuotaPerSecUSec rounds up to 10 ms, with CPUQuotaPeriodUSec from systemd 242 (runc addCpuQuota)', () => {
    expect(byName(cpuQuotaProperties(50000, 100000, 252))).to.deep.equal({ CPUQuotaPeriodUSec: 100000n, CPUQuotaPerSecUSec: 500000n });
    expect(byName(cpuQuotaProperties(12345, 0, 252))).to.deep.equal({ CPUQuotaPerSecUSec: 130000n });
    expect(byName(cpuQuotaProperties(-1, 50000, 252))).to.deep.equal({ CPUQuotaPeriodUSec: 50000n, CPUQuotaPerSecUSec: MAX });
    expect(byName(cpuQuotaProperties(20000, 50000, 241))).to.deep.equal({ CPUQuotaPerSecUSec: 400000n });
    expect(cpuQuotaProperties(0, 0, 252)).to.deep.equal([]);
  });

  it('AllowedCPUs/AllowedMemoryNodes are little-endian bitmasks, as systemd reads them (runc #3611)', () => {
    expect([...rangeToBits('0', 'f')]).to.deep.equal([1]);
    expect([...rangeToBits('0-3', 'f')]).to.deep.equal([0x0f]);
    expect([...rangeToBits('16', 'f')]).to.deep.equal([0, 0, 1]);
    expect([...rangeToBits('0-3,32-33', 'f')]).to.deep.equal([0x0f, 0, 0, 0, 3]);
    expect([...rangeToBits('    , 1   , 3  ,  5-7,\t', 'f')]).to.deep.equal([0xea]);
    for (const bad of ['', '-', '1-', '-3', '54-53', '1 - 2', 'x']) expect(catchError(() => rangeToBits(bad, 'f'))).to.be.instanceOf(ConfigError);
    const p = byName(v2ResourceProperties({ cpu: { cpus: '0-1', mems: '0' } }, NEW));
    expect([...p.AllowedCPUs]).to.deep.equal([3]);
    expect([...p.AllowedMemoryNodes]).to.deep.equal([1]);
    expect(v2ResourceProperties({ cpu: { cpus: '0-1' } }, { systemdVersion: 243 })).to.deep.equal([]);
  });

  it('unified keys systemd knows become properties; the others are left to the files', () => {
    const p = byName(unifiedProperties({ 'memory.high': '1000000', 'memory.min': 'max', 'pids.max': '7', 'cpu.max': 'max 20000', 'io.max': '8:0 rbps=1' }, NEW));
    expect(p).to.deep.equal({ MemoryHigh: 1000000n, MemoryMin: MAX, TasksMax: 7n, CPUQuotaPeriodUSec: 20000n, CPUQuotaPerSecUSec: MAX });
    expect(catchError(() => unifiedProperties({ 'memory.high': '1k' }, NEW)).field).to.equal('linux.resources.unified.memory.high');
  });

  describe('devices', () => {
    const PROC_DEVICES = 'Character devices:\n  1 mem\n  5 /dev/tty\n136 pts\n\nBlock devices:\n  8 sd\n';
    const props = (rules) => byName(deviceProperties(rules, () => PROC_DEVICES));

    it('an allow list: DevicePolicy=strict, DeviceAllow by /dev/char path, device group, or glob', () => {
      const p = deviceProperties(
        [
          { allow: false, access: 'rwm' },
          { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
          { allow: true, type: 'c', major: 136, access: 'rw' },
          { allow: true, type: 'b', access: 'm' },
          { allow: true, type: 'c', minor: 3, access: 'r' },
        ],
        () => PROC_DEVICES,
      );
      expect(p.map((x) => x.name)).to.deep.equal(['DeviceAllow', 'DevicePolicy', 'DeviceAllow']);
      expect(p[0].value).to.deep.equal([]);
      expect(p[1].value).to.equal('strict');
      // A wildcard major with a fixed minor has no systemd name: left out (narrower, never wider).
      expect(p[2].value).to.deep.equal([['/dev/char/1:3', 'rwm'], ['char-pts', 'rw'], ['block-*', 'm']]);
    });

    it('rules are evaluated in order: a later deny takes access away', () => {
      const p = props([
        { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
        { allow: false, type: 'c', major: 1, minor: 5, access: 'w' },
        { allow: true, type: 'c', major: 1, minor: 9, access: 'r' },
        { allow: false, type: 'c', major: 1, minor: 9, access: 'r' },
      ]);
      expect(p.DeviceAllow).to.deep.equal([['/dev/char/1:5', 'rm']]);
    });

    it('allow-all is DevicePolicy=auto with no DeviceAllow; a deny list systemd cannot say is deny-all', () => {
      expect(props([{ allow: true, access: 'rwm' }])).to.deep.equal({ DevicePolicy: 'auto', DeviceAllow: [] });
      expect(props([{ allow: true, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 3, access: 'rwm' }])).to.deep.equal({
        DevicePolicy: 'strict',
        DeviceAllow: [],
      });
    });

    it('a major missing from /proc/devices is left out', () => {
      expect(props([{ allow: true, type: 'c', major: 250, access: 'rwm' }]).DeviceAllow).to.deep.equal([]);
      expect(deviceGroup('b', 8, PROC_DEVICES)).to.equal('block-sd');
      expect(deviceGroup('c', 8, PROC_DEVICES)).to.equal(undefined);
    });

    it('no device rules: no device properties', () => {
      expect(deviceProperties(undefined)).to.deep.equal([]);
    });
  });
});
