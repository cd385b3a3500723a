'use strict';
const fs = require('fs');
const { expect } = require('chai');
const { FIELD_SUPPORT, fieldSupport } = require('../../../dist/spec/field-support');
const { schemaFieldPaths } = require('../../helpers/schema-fields');
const { render, OUT } = require('../../../scripts/gen-field-table');

describe('spec/field-support: every config.json field is applied or refused', () => {
  const schemaFields = schemaFieldPaths();

  it('walks the whole schema (sanity: known deep fields are found)', () => {
    expect(schemaFields).to.include.members([
      'process.scheduler.policy', 'linux.resources.blockIO.weightDevice[].leafWeight', 'linux.netDevices.*.name',
      'linux.seccomp.syscalls[].args[].valueTwo', 'process.execCPUAffinity.final', 'windows',
    ]);
    expect(schemaFields.length).to.be.above(200);
  });

  it('classifies every field of the schema', () => {
    const unclassified = schemaFields.filter((f) => !fieldSupport(f));
    expect(unclassified).to.deep.equal([]);
  });

  it('has no entry for a field the schema does not define, and no duplicates', () => {
    const fields = FIELD_SUPPORT.map((e) => e.field);
    expect(fields.filter((f) => !schemaFields.includes(f))).to.deep.equal([]);
    expect(new Set(fields).size).to.equal(fields.length);
  });

  it('only ignores what has no meaning on Linux', () => {
    const ignored = FIELD_SUPPORT.filter((e) => e.support === 'not linux').map((e) => e.field);
    expect(ignored).to.deep.equal(['process.commandLine', 'process.user.username']);
  });

  it('a deeper entry overrides its parent', () => {
    expect(fieldSupport('linux.personality.flags').support).to.equal('refused');
    expect(fieldSupport('linux.personality.domain').support).to.equal('applied');
    expect(fieldSupport('linux.resources.blockIO.throttleReadBpsDevice[].rate').support).to.equal('host');
  });

  it('docs/config-fields.md is generated from the table (run node scripts/gen-field-table.js)', () => {
    expect(fs.readFileSync(OUT, 'utf8')).to.equal(render());
  });
});
