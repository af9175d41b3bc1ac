// readBody and readEnvelope through their public entry points: what the errors say and carry (cap,
// RequestId, call context), which chunk shapes count as bytes, when the body is released, and how a
// signal or a sender's timeout comes out. Every body here is finite or capped by the test itself.
import { isEnvelopeError, isNetworkError, isTimeoutError, TimeoutError } from '@x/errors';
import { describe, expect, it, vi } from 'vitest';
import { readBody, readEnvelope, type ResponseLike } from '@x/envelope';

const context = { service: 'cvm', version: '2017-03-12', action: 'DescribeInstances', region: 'ap-guangzhou' };

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** An async iterable body that records what the reader did with it; yields `chunks`, then ends. */
function recordingBody(chunks: readonly unknown[], onNext?: (index: number) => void) {
  const log = { nexts: 0, returned: 0 };
  const body = {
    [Symbol.asyncIterator]() {
      return {
        next: async () => {
          onNext?.(log.nexts);
          const value = chunks[log.nexts++];
          return log.nexts > chunks.length ? { done: true, value: undefined } : { done: false, value };
        },
        return: async () => {
          log.returned++;
          return { done: true, value: undefined };
        },
      };
    },
  } as unknown as AsyncIterable<Uint8Array>;
  return { body, log };
}

function response(body: ResponseLike['body'] | unknown, headers: Record<string, string> = {}, status = 200) {
  return { status, headers: new Headers(headers), body } as ResponseLike;
}

describe('the size cap', () => {
  it('refuses a declared Content-Length over the cap before reading, with status, RequestId, type and call', async () => {
    const { body, log } = recordingBody([new Uint8Array(5)]);
    const headers = { 'content-length': '100', 'x-tc-requestid': 'req-cl', 'content-type': 'application/json' };
    const err = await caught(() => readBody(response(body, headers, 502), { maxBytes: 10, context }));
    expect(isEnvelopeError(err)).toBe(true);
    expect(err).toMatchObject({ reason: 'body-too-large', httpStatus: 502, requestId: 'req-cl', ...context });
    expect(err).toMatchObject({ contentType: 'application/json' });
    expect(err.message).toContain('larger than the 10-byte limit (Content-Length 100)');
    expect(log).toEqual({ nexts: 0, returned: 1 });
  });

  it('accepts a Content-Length equal to the cap, and ignores one that is not a number', async () => {
    const exact = await readBody(response([new Uint8Array(10)], { 'content-length': '10' }), { maxBytes: 10 });
    expect(exact.byteLength).toBe(10);
    const odd = await readBody(response([new Uint8Array(3)], { 'content-length': 'lots' }), { maxBytes: 10 });
    expect(odd.byteLength).toBe(3);
  });

  it('counts the running total: a body of exactly the cap passes, one byte more is refused and released', async () => {
    const exact = await readBody(response([new Uint8Array(4), new Uint8Array(4), new Uint8Array(2)]), { maxBytes: 10 });
    expect(exact.byteLength).toBe(10);
    const { body, log } = recordingBody([new Uint8Array(4), new Uint8Array(4), new Uint8Array(3), new Uint8Array(1)]);
    const err = await caught(() => readBody(response(body, { 'x-tc-requestid': 'req-run' }), { maxBytes: 10 }));
    expect(err).toMatchObject({ reason: 'body-too-large', requestId: 'req-run', httpStatus: 200 });
    expect(err.message).toContain('(11 bytes read so far)');
    expect(log).toEqual({ nexts: 3, returned: 1 });
  });

  it('applies to readEnvelope with the same error', async () => {
    const err = await caught(() => readEnvelope(response([new Uint8Array(8), new Uint8Array(8)]), { maxBytes: 12 }));
    expect(err).toMatchObject({ reason: 'body-too-large' });
    expect(err.message).toContain('16 bytes read so far');
  });

  it('still throws body-too-large when releasing the body fails', async () => {
    const failingReturn = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: new Uint8Array(8) }),
        return: async () => {
          throw new Error('release failed');
        },
      }),
    };
    const err = await caught(() => readBody(response(failingReturn), { maxBytes: 12 }));
    expect(err).toMatchObject({ reason: 'body-too-large' });
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(8)),
      cancel: () => Promise.reject(new Error('cancel failed')),
    });
    expect(await caught(() => readBody(response(stream), { maxBytes: 12 }))).toMatchObject({
      reason: 'body-too-large',
    });
  });
});

describe('chunk shapes', () => {
  it('joins chunks in order, encodes strings as UTF-8 and honours the offset of byte views', async () => {
    const buffer = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).buffer;
    const chunks = ['é', new DataView(buffer, 2, 3), new Uint16Array(buffer, 6, 1), buffer.slice(0, 2)];
    const bytes = await readBody(response(chunks));
    expect([...bytes]).toEqual([0xc3, 0xa9, 2, 3, 4, 6, 7, 0, 1]);
  });

  it('reads a body that is null, and one that yields nothing, as empty', async () => {
    expect((await readBody(response(null))).byteLength).toBe(0);
    expect((await readBody(response([]))).byteLength).toBe(0);
  });

  it.each([
    ['null', [null], 'the response body yielded null, not bytes'],
    ['an array', [[1, 2]], 'the response body yielded an array, not bytes'],
    ['a number', [7], 'the response body yielded a number, not bytes'],
  ])('names what the body yielded (%s) and releases it', async (_name, chunks, detail) => {
    const { body, log } = recordingBody(chunks);
    const err = await caught(() => readBody(response(body), { context }));
    expect(err).toMatchObject({ reason: 'unreadable-body', ...context });
    expect(err.message).toContain(detail);
    expect(log.returned).toBe(1);
  });

  it('names a step that is not an iterator result', async () => {
    const body = { [Symbol.asyncIterator]: () => ({ next: async () => 'step' }) };
    const err = await caught(() => readBody(response(body)));
    expect(err.message).toContain("the response body's iterator answered a string, not an iterator result");
  });

  it.each([
    ['a number', 42, 'the response body is a number, not a ReadableStream'],
    ['a string', 'text', 'the response body is a string, not a ReadableStream'],
    ['a plain object', { bytes: 1 }, 'neither a ReadableStream nor an (async) iterable of bytes'],
    ['an iterator without next()', { [Symbol.iterator]: () => ({}) }, 'gave an iterator without a next() method'],
  ])('refuses a body that is %s, saying why', async (_name, body, detail) => {
    const err = await caught(() => readBody(response(body)));
    expect(err).toMatchObject({ kind: 'envelope', reason: 'unreadable-body' });
    expect(err.message).toContain(detail);
  });

  it('refuses a locked stream with unreadable-body, not a TypeError', async () => {
    const stream = new ReadableStream<Uint8Array>();
    stream.getReader();
    const err = await caught(() => readBody(response(stream)));
    expect(err).toMatchObject({ kind: 'envelope', reason: 'unreadable-body' });
    expect(err.message).toContain('locked or already read');
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('decodes a multi-byte character split across chunks (readEnvelope)', async () => {
    const bytes = new TextEncoder().encode('{"Response":{"Name":"云服务器","RequestId":"r"}}');
    const cuts = [0, 22, 23, 24, 31, bytes.length];
    const chunks = cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
    const result = await readEnvelope(response(chunks));
    expect(result).toMatchObject({ ok: true, data: { Name: '云服务器' }, requestId: 'r' });
    const single = await readEnvelope(response([bytes]));
    expect(single).toMatchObject({ ok: true, data: { Name: '云服务器' } });
  });
});

describe('a body that breaks', () => {
  it.each([
    ['an Error', new Error('ECONNRESET'), '(ECONNRESET)'],
    ['a string', 'socket hang up', '(socket hang up)'],
    ['something else', 17, '(a number)'],
  ])('throwing %s becomes a NetworkError that says what broke', async (_name, thrown, detail) => {
    const body = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(thrown) }) };
    const err = await caught(() => readBody(response(body), { context }));
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ mayHaveReachedServer: true, ...context });
    expect(err.message).toContain(`the connection broke while reading the response body ${detail}`);
    expect(err.cause).toBe(thrown);
  });

  it("keeps a sender's idle timeout a TimeoutError, with its scope, limit and the call", async () => {
    const idle = new TimeoutError({ scope: 'attempt', timeoutMs: 1234, mayHaveReachedServer: false });
    const body = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(idle) }) };
    const err = await caught(() => readBody(response(body), { context }));
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 1234, mayHaveReachedServer: false, ...context });
    expect(err.cause).toBe(idle);
  });
});

describe('the signal', () => {
  it('an already aborted signal throws its reason before reading', async () => {
    const { body, log } = recordingBody([new Uint8Array(1)]);
    const controller = new AbortController();
    const reason = new Error('gave up');
    controller.abort(reason);
    expect(await caught(() => readBody(response(body), { signal: controller.signal }))).toBe(reason);
    expect(log.nexts).toBe(0);
  });

  it('aborting while a chunk arrives throws the reason, not the chunk, and releases the body', async () => {
    const controller = new AbortController();
    const reason = new Error('gave up mid-body');
    const { body, log } = recordingBody([new Uint8Array(1), new Uint8Array(1)], (index) => {
      if (index === 1) controller.abort(reason);
    });
    expect(await caught(() => readBody(response(body), { signal: controller.signal }))).toBe(reason);
    expect(log.returned).toBeGreaterThanOrEqual(1);
  });

  it('a read that fails after the abort throws the reason, not a NetworkError', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const body = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          controller.abort(reason);
          return Promise.reject(new Error('aborted read'));
        },
      }),
    };
    expect(await caught(() => readBody(response(body), { signal: controller.signal }))).toBe(reason);
  });

  it.each([
    // A stream listens while it is read (an abort cancels it), and while the reader of an iterable
    // body loads (an abort ends that wait); a whole body is read in one turn.
    ['a streamed body', () => recordingBody([new Uint8Array(1), new Uint8Array(1)]).body, 2],
    ['a body already whole in memory (an array of chunks)', () => [new Uint8Array(2)], 0],
  ])('leaves no abort listener on the signal once %s is read', async (_name, body, listened) => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    expect(await readBody(response(body()), { signal: controller.signal })).toHaveLength(2);
    const listeners = (spy: typeof add) => spy.mock.calls.filter(([type]) => type === 'abort').map(([, fn]) => fn);
    expect(listeners(add)).toHaveLength(listened);
    expect(listeners(remove)).toEqual(listeners(add));
  });
});
