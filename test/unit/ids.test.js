'use strict';
const { expect } = require('chai');
const { validateId, isValidId, MAX_ID_LENGTH } = require('../../dist/ids');
const { ConfigError } = require('../../dist/errors');

describe('ids', () => {
  it('accepts runc-valid ids', () => {
    for (const id of ['c1', 'a.b', 'a_b-c+d', '+x', '-x', '_', 'A'.repeat(MAX_ID_LENGTH), 'a..b', 'x...']) {
      expect(validateId(id), id).to.equal(id);
    }
  });

  it('rejects ids that are not one safe path component', () => {
    for (const id of ['', '.', '..', '...a', '.hidden', 'a/b', '/a', 'a b', 'a:b', 'é', 'a\n', 'A'.repeat(MAX_ID_LENGTH + 1)]) {
      expect(isValidId(id), JSON.stringify(id)).to.equal(false);
      expect(() => validateId(id), JSON.stringify(id)).to.throw(ConfigError);
    }
  });

  it("uses runc's message", () => {
    expect(() => validateId('a/b')).to.throw('invalid id format: a/b');
  });

  it('rejects non-strings', () => {
    expect(isValidId(undefined)).to.equal(false);
    expect(() => validateId(12)).to.throw(ConfigError);
  });
});
