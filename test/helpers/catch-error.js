'use strict';
// For unit tests of calls that must throw synchronously: returns the error
// so the test can check its type and fields, and fails if nothing is thrown.

/** The error `fn()` throws; throws 'expected an error' when it returns normally. */
function catchError(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

module.exports = { catchError };
