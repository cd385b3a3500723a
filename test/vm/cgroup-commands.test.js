'use strict';
// The layout-independent cgroup suites of test/integration/, run in the
// pure v2 and pure v1 VMs: pause/resume (v2 cgroup.freeze / v1 freezer),
// ps, update, events and OOM, delete's cleanup, and a container's device
// rules (v2: the eBPF program; v1: the devices controller). The kernel
// test of the device program itself needs cgroup2, so only the v2 VM runs it.
const cg = require('../helpers/cgroup-layout');

require('../integration/cgroup-commands.test.js');
require('../integration/device-rules.test.js');
if (cg.layoutKind() !== 'v1') require('../integration/device-filter.test.js');
