import { isUsageError, type UsageError } from '@x/errors';

/** The UsageError `fn` throws; fails the test if it throws anything else or nothing. */
export function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (isUsageError(err)) return err;
    throw new Error(`expected a UsageError, got ${String(err)}`);
  }
  throw new Error('expected a UsageError');
}
