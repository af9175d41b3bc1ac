// A body given as an array of chunks (what the Node sender of @x/transport hands over when the
// whole answer came with its head) is read in one turn, without a promise per chunk: it must read
// exactly as the same chunks through an async iterable do, caps, bad chunks and aborts included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEnvelopeError } from '@x/errors';
import { readEnvelope, type ResponseLike } from '../src/index';
import { readBody, readBodyText } from '../src/read-body';
import { caught, fixture } from './helpers';

const response = (body: ResponseLike['body'], headers: Record<string, string> = {}): ResponseLike => ({
  status: 200,
  headers: new Headers(headers),
  body,
});

async function* iterate(items: readonly unknown[]): AsyncGenerator<Uint8Array> {
  for (const item of items) yield item as Uint8Array;
}

/** What reading gives: the text, or the error's reason (or class) when it fails. */
async function outcome(read: () => Promise<string>): Promise<string> {
  try {
    return `ok ${JSON.stringify(await read())}`;
  } catch (err) {
    if (err instanceof TypeError) throw err; // a bug, never an outcome
    return isEnvelopeError(err) ? `envelope ${err.reason}` : `other ${String(err)}`;
  }
}

describe('a body given as an array of chunks', () => {
  it('reads an envelope in one chunk', async () => {
    const result = await readEnvelope(response([fixture('success.json')]));
    expect(result).toMatchObject({ ok: true, requestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c' });
  });

  it('joins chunks, UTF-8 split across them included', async () => {
    const bytes = new TextEncoder().encode('{"Response":{"Name":"云服务器 ✓"}}');
    const parts = [bytes.subarray(0, 22), bytes.subarray(22, 25), bytes.subarray(25)];
    expect(await readBodyText(response(parts))).toBe('{"Response":{"Name":"云服务器 ✓"}}');
    expect(await readBody(response(parts))).toEqual(bytes);
  });

  it('refuses a declared Content-Length past the cap before reading anything', async () => {
    const err = await caught(() =>
      readBodyText(response([new Uint8Array(10)], { 'content-length': '10' }), { maxBytes: 5 }),
    );
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
  });

  it('refuses chunks past the cap', async () => {
    const err = await caught(() => readBodyText(response([new Uint8Array(4), new Uint8Array(4)]), { maxBytes: 5 }));
    expect(err).toMatchObject({ reason: 'body-too-large', message: expect.stringContaining('8 bytes read so far') });
  });

  it('an aborted signal rethrows its reason', async () => {
    const reason = new Error('gone');
    const err = await caught(() => readBodyText(response([new Uint8Array(1)]), { signal: AbortSignal.abort(reason) }));
    expect(err).toBe(reason);
  });

  it('reads as the same chunks through an async iterable: text, caps and bad chunks (10,000 cases)', async () => {
    const chunk = fc.oneof(
      { weight: 8, arbitrary: fc.uint8Array({ maxLength: 24 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, {}, [1], new ArrayBuffer(3)) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(chunk, { maxLength: 8 }),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        async (items, maxBytes, declared) => {
          const headers: Record<string, string> = declared === undefined ? {} : { 'content-length': String(declared) };
          const whole = await outcome(() => readBodyText(response(items as Uint8Array[], headers), { maxBytes }));
          const streamed = await outcome(() => readBodyText(response(iterate(items), headers), { maxBytes }));
          expect(whole).toBe(streamed);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
