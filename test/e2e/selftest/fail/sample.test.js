// Proves the harness reports failure: one test is wrong on purpose.
const assert = require('node:assert');

suite('harness self-test (failing)', () => {
  test('passes', () => assert.ok(true));
  test('fails on purpose', () => assert.strictEqual(1 + 1, 3));
});
