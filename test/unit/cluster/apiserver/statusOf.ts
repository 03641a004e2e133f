import * as assert from 'assert';

/** The Status of the StatusError `fn` throws; fails the test when it throws none. */
export function statusOf(fn: () => unknown): any {
  try {
    fn();
  } catch (e: any) {
    return e.status;
  }
  assert.fail('expected a StatusError');
}

/** `<code> <message>` of the StatusError `fn` throws, as a one-line comparison wants it. */
export function errorText(fn: () => unknown): string {
  const s = statusOf(fn);
  return `${s.code} ${s.message}`;
}
