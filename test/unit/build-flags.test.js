'use strict';
// binding.gyp (node-gyp, prebuilds) and CMakeLists.txt (cmake-js) compile
// the same sources with the same flags: both take them from
// native/sources.json and neither adds its own.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');

const repo = path.resolve(__dirname, '../..');
const read = (f) => fs.readFileSync(path.join(repo, f), 'utf8');
const noComments = (s) => s.split('\n').map((l) => l.replace(/#.*$/, '')).join('\n');

describe('build flags: binding.gyp and CMakeLists.txt agree', () => {
  const shared = JSON.parse(read('native/sources.json')).cxxflags;

  it('native/sources.json lists the flags, RTTI and exceptions off', () => {
    expect(shared).to.include.members(['-std=c++17', '-fno-exceptions', '-fno-rtti', '-O2', '-Wall', '-Wextra']);
  });

  it('binding.gyp takes its C++ flags from there and adds none of its own', () => {
    const gyp = noComments(read('binding.gyp'));
    const lists = [...gyp.matchAll(/"(cflags|cflags_cc)"\s*:\s*\[([^\]]*)\]/g)];
    expect(lists.map((m) => m[1])).to.deep.equal(['cflags_cc']);
    expect(lists[0][2].trim()).to.equal('"<!@(node -p \\"require(\'./native/sources.json\').cxxflags.join(\' \')\\")"');
    // Only removals of what node-gyp's common.gypi adds (-O3, gnu++17) besides.
    const removals = [...gyp.matchAll(/"(cflags!|cflags_cc!)"\s*:\s*\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[2].replace(/,\s*$/, '')}]`));
    expect(removals.sort()).to.deep.equal(['-O3', '-std=gnu++17']);
  });

  it('CMakeLists.txt compiles both targets with that list and nothing else', () => {
    const cmake = noComments(read('CMakeLists.txt'));
    expect(cmake).to.match(/ts_oci_json_list\(cxxflags TS_OCI_COMMON_FLAGS\)/);
    const options = [...cmake.matchAll(/target_compile_options\((\S+) PRIVATE ([^)]*)\)/g)];
    expect(options.map((m) => [m[1], m[2].trim()])).to.deep.equal([
      ['ts_oci', '${TS_OCI_COMMON_FLAGS}'],
      ['ts-oci-init', '${TS_OCI_COMMON_FLAGS}'],
    ]);
    expect(cmake).to.not.match(/add_compile_options|CMAKE_CXX_FLAGS\b|set\(TS_OCI_COMMON_FLAGS/);
  });
});
