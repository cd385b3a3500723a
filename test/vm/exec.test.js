'use strict';
// exec on the pure layouts: the helper cloned into a real cgroup2 cgroup
// (CLONE_INTO_CGROUP; the hybrid hosts' unified hierarchy has no
// controllers) or joining pure v1 hierarchies, frozen ones included.
require('../integration/exec.test.js');
require('../integration/exec-library.test.js');
