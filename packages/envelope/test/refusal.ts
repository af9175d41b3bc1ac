import { isEnvelopeError } from '@x/errors';
import { expect } from 'vitest';

/** The EnvelopeError `run` rejects with (a test fails if it resolves, or rejects otherwise). */
export async function refusal(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    expect(isEnvelopeError(err), String(err)).toBe(true);
    return err as Error;
  }
  throw new Error('expected a rejection');
}
