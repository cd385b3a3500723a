'use strict';
// org.systemd.property.* annotations, as runc passes them to systemd.
const { expect } = require('chai');
const { annotationProperties, parseGVariant } = require('../../../../dist/cgroups/systemd/annotation-properties');
const { ConfigError } = require('../../../../dist/errors');
const { catchError } = require('../../../helpers/catch-error');

describe('cgroups/systemd/annotation-properties', () => {
  it('reads the GVariant text forms of unit properties', () => {
    expect(parseGVariant('uint64 123')).to.deep.equal({ signature: 't', value: 123n });
    expect(parseGVariant('@t 5')).to.deep.equal({ signature: 't', value: 5n });
    expect(parseGVariant('42')).to.deep.equal({ signature: 'i', value: 42 });
    expect(parseGVariant('uint32 7')).to.deep.equal({ signature: 'u', value: 7 });
    expect(parseGVariant('1.5')).to.deep.equal({ signature: 'd', value: 1.5 });
    expect(parseGVariant('true')).to.deep.equal({ signature: 'b', value: true });
    expect(parseGVariant("'inactive-or-failed'")).to.deep.equal({ signature: 's', value: 'inactive-or-failed' });
    expect(parseGVariant('"a\\"b"')).to.deep.equal({ signature: 's', value: 'a"b' });
    expect(parseGVariant("['a', 'b,c']")).to.deep.equal({ signature: 'as', value: ['a', 'b,c'] });
    expect(parseGVariant('@as []')).to.deep.equal({ signature: 'as', value: [] });
    for (const bad of ['uint64 -1', 'byte 256', 'foo', "'open", "['a' 'b']", '{1: 2}', '@q']) expect(parseGVariant(bad), bad).to.equal(undefined);
  });

  it('passes org.systemd.property.* on; <Name>Sec becomes <Name>USec in microseconds', () => {
    const props = annotationProperties({
      'org.systemd.property.TimeoutStopUSec': 'uint64 123456789',
      'org.systemd.property.CollectMode': "'inactive-or-failed'",
      'org.systemd.property.RuntimeMaxSec': 'uint64 3',
      'org.systemd.property.TimeoutStopSec': '1.5',
      'com.example.other': 'x',
    });
    expect(props).to.deep.equal([
      { name: 'TimeoutStopUSec', signature: 't', value: 123456789n },
      { name: 'CollectMode', signature: 's', value: 'inactive-or-failed' },
      { name: 'RuntimeMaxUSec', signature: 't', value: 3000000n },
      { name: 'TimeoutStopUSec', signature: 't', value: 1500000n },
    ]);
  });

  it('refuses a bad name or value, naming the annotation', () => {
    const e = catchError(() => annotationProperties({ 'org.systemd.property.Bad-Name': 'true' }));
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.field).to.equal('annotations.org.systemd.property.Bad-Name');
    expect(catchError(() => annotationProperties({ 'org.systemd.property.Ab': 'true' })).message).to.contain('name incorrect');
    expect(catchError(() => annotationProperties({ 'org.systemd.property.CollectMode': 'inactive' })).message).to.contain('value parse error');
    expect(catchError(() => annotationProperties({ 'org.systemd.property.RuntimeMaxSec': "'x'" })).message).to.contain('seconds');
  });
});
