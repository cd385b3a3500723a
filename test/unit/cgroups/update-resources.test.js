'use strict';
const { expect } = require('chai');
const { parseBytes, resourcesFromFlags, mergeResources, sectionsToWrite } = require('../../../dist/cgroups/update-resources');
const { filterPsOutput } = require('../../../dist/runtime/ps');
const { parseDuration } = require('../../../dist/runtime/events');
const { catchError } = require('../../helpers/catch-error');

describe('cgroups/update-resources', () => {
  it('parses runc memory sizes', () => {
    expect(parseBytes('memory', '512m')).to.equal(512 * 1024 * 1024);
    expect(parseBytes('memory', '1G')).to.equal(1024 ** 3);
    expect(parseBytes('memory', '64kb')).to.equal(65536);
    expect(parseBytes('memory', '1GiB')).to.equal(1024 ** 3);
    expect(parseBytes('memory', '4096')).to.equal(4096);
    expect(parseBytes('memory', '-1')).to.equal(-1);
    expect(catchError(() => parseBytes('memory', 'lots')).message).to.match(/--memory: "lots"/);
  });

  it("maps runc's flags onto linux.resources", () => {
    expect(resourcesFromFlags({ memory: '100m', memorySwap: '-1', cpuShare: '512', cpuQuota: '-1', cpuPeriod: '100000', cpusetCpus: '0', pidsLimit: '20', blkioWeight: '300' })).to.deep.equal({
      memory: { limit: 104857600, swap: -1 },
      cpu: { shares: 512, period: 100000, quota: -1, cpus: '0' },
      pids: { limit: 20 },
      blockIO: { weight: 300 },
    });
    expect(resourcesFromFlags({})).to.deep.equal({});
  });

  it('refuses kernel memory and Intel RDT schemas, as runc 1.1+', () => {
    expect(catchError(() => resourcesFromFlags({ kernelMemory: '10m' })).message).to.match(/kernel memory/);
    expect(catchError(() => resourcesFromFlags({ l3CacheSchema: 'L3:0=f' })).message).to.match(/resctrl/);
    expect(catchError(() => resourcesFromFlags({ memBwSchema: 'MB:0=50' })).message).to.match(/resctrl/);
    expect(resourcesFromFlags({ kernelMemoryTcp: '1m' })).to.deep.equal({ memory: { kernelTCP: 1048576 } });
  });

  it('merges sections field by field and writes whole sections', () => {
    const current = { memory: { limit: 100, swap: 200, swappiness: 10 }, pids: { limit: 5 }, devices: [{ allow: false, access: 'rwm' }] };
    const update = { memory: { limit: 150 } };
    const merged = mergeResources(current, update);
    expect(merged).to.deep.equal({ memory: { limit: 150, swap: 200, swappiness: 10 }, pids: { limit: 5 }, devices: [{ allow: false, access: 'rwm' }] });
    expect(sectionsToWrite(merged, update)).to.deep.equal({ memory: { limit: 150, swap: 200, swappiness: 10 } });
    expect(current.memory.limit).to.equal(100);
  });

  it("filters ps output by the PID column found by header", () => {
    const out = 'USER PID PPID CMD\nroot 1 0 init\nroot 42 1 sh\nroot 43 42 sleep\n';
    expect(filterPsOutput(out, [42, 43])).to.equal('USER PID PPID CMD\nroot 42 1 sh\nroot 43 42 sleep\n');
    expect(catchError(() => filterPsOutput('USER CMD\n', [1])).message).to.equal("couldn't find PID field in ps output");
  });

  it('parses Go durations for --interval', () => {
    expect(parseDuration('5s')).to.equal(5000);
    expect(parseDuration('100ms')).to.equal(100);
    expect(parseDuration('1m30s')).to.equal(90000);
    expect(catchError(() => parseDuration('5')).message).to.match(/invalid --interval/);
  });
});
