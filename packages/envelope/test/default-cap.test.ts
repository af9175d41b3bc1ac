import { describe, expect, it } from 'vitest';
import { isEnvelopeError } from '@x/errors';
import { DEFAULT_MAX_BODY_BYTES, readBody, readEnvelope, type ResponseLike } from '../src/index';
import { caught } from './helpers';

const MiB = 1024 * 1024;

/**
 * A body of `limit` chunks of 1 MiB, all the same buffer (so feeding costs no memory), that counts
 * what it handed out and whether it was cancelled. It stops at `limit`: a reader whose cap is broken
 * gets to the end in a second and the test fails on an assertion, never by running out of memory.
 */
function feeder(limit: number, headers: Record<string, string> = {}) {
  const chunk = new Uint8Array(MiB).fill(0x7b);
  const state = { pulled: 0, cancelled: false };
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () =>
        state.pulled < limit ? (state.pulled++, { done: false, value: chunk }) : { done: true, value: undefined },
      return: async () => {
        state.cancelled = true;
        return { done: true, value: undefined };
      },
    }),
  };
  const response: ResponseLike = { status: 200, headers: new Headers(headers), body };
  return { response, state };
}

describe('the default 64 MiB body cap', () => {
  it('is 64 MiB', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(64 * MiB);
  });

  it('stops readBody one chunk past 64 MiB of running total and cancels the body', async () => {
    const { response, state } = feeder(80);
    const err = await caught(() => readBody(response));
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
    expect((err as Error).message).toContain(`${64 * MiB}-byte limit`);
    expect(state.pulled).toBe(65);
    expect(state.cancelled).toBe(true);
  });

  it('accepts a body of exactly 64 MiB', async () => {
    const { response, state } = feeder(64);
    const body = await readBody(response);
    expect(body.byteLength).toBe(64 * MiB);
    expect(state.pulled).toBe(64);
  });

  it('refuses a Content-Length past 64 MiB before reading a byte', async () => {
    const { response, state } = feeder(80, { 'content-length': String(64 * MiB + 1), 'x-tc-requestid': 'req-1' });
    const err = await caught(() => readBody(response));
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
    expect(err).toMatchObject({ requestId: 'req-1', httpStatus: 200 });
    expect(state.pulled).toBe(0);
    expect(state.cancelled).toBe(true);
  });

  it('applies to readEnvelope too', async () => {
    const { response, state } = feeder(80, { 'content-type': 'application/json' });
    const err = await caught(() => readEnvelope(response));
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
    expect(state.pulled).toBe(65);
  });

  it('counts the running total, not each chunk: a body of many small chunks is stopped too', async () => {
    const { response, state } = feeder(3);
    const err = await caught(() => readBody(response, { maxBytes: 2 * MiB + 1 }));
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
    expect(state.pulled).toBe(3);
  });
});
