import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEnvelopeError } from '@x/errors';
import type * as Errors from '@x/errors';
import type * as Json from '../src/json';
import { parseEnvelope, parseEventStream, readBody, readEnvelope, type ResponseLike } from '../src/index';

// readEnvelope and readBody answer the common case themselves (a plain success, a web stream of
// bytes) and hand everything else to code loaded on demand. These are the edges where the two
// meet: each must end exactly as the full checks do, never in a TypeError.

const response = (body: string): Response =>
  new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'X-TC-RequestId': 'hdr-1' } });

/** The error's class and fields, comparable with toEqual. */
async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    const e = err as Error & { reason?: string; detail?: string; requestId?: string };
    return { name: e.name, reason: e.reason, detail: e.detail, requestId: e.requestId };
  }
  throw new Error('expected a failure');
}

afterEach(() => {
  vi.doUnmock('../src/json');
  vi.doUnmock('@x/errors');
  vi.resetModules();
});

describe('a plain success is answered up front; anything near it as parseEnvelope does', () => {
  it.each([
    ['null', 'null'],
    ['a null Response', '{"Response":null}'],
    ['an empty RequestId', '{"Response":{"RequestId":""}}'],
    ['a RequestId that is a number', '{"Response":{"RequestId":7}}'],
    ['an Error next to a RequestId', '{"Response":{"Error":{"Code":"InternalError"},"RequestId":"r"}}'],
  ])('%s', async (_name, body) => {
    const expected = await failureOf(() => {
      const result = parseEnvelope(body, { httpStatus: 200, headers: response('').headers });
      if (!result.ok) throw result.error;
    });
    const got = await failureOf(async () => {
      const result = await readEnvelope(response(body));
      if (!result.ok) throw result.error;
    });
    expect(got).toEqual(expected);
    expect((got as { name: string }).name).not.toBe('TypeError');
  });

  it('no response at all is an EnvelopeError unreadable-body', async () => {
    for (const nothing of [undefined, null, 'text']) {
      const err = await readEnvelope(nothing as unknown as ResponseLike).catch((e: unknown) => e);
      expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
    }
  });
});

describe('what loads for which body', () => {
  it('integers: "number" never loads the exact parser, 16-digit runs included', async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock('../src/json', async (importOriginal) => {
      loads++;
      return importOriginal<typeof Json>();
    });
    const { readEnvelope: read } = await import('../src/read-envelope');
    const answer = await read(response('{"Response":{"Id":12345678901234567890,"RequestId":"r"}}'), {
      integers: 'number',
    });
    expect(answer.ok && answer.data['Id']).toBe(12345678901234567000);
    expect(loads).toBe(0);
    await read(response('{"Response":{"Id":12345678901234567890,"RequestId":"r"}}'));
    expect(loads).toBe(1);
  });

  it('the error texts are loaded for an answer with an error, not for a success', async () => {
    vi.resetModules();
    const loadErrorTexts = vi.fn(() => Promise.resolve());
    vi.doMock('@x/errors', async (importOriginal) => ({ ...(await importOriginal<typeof Errors>()), loadErrorTexts }));
    const { readEnvelope: read } = await import('../src/read-envelope');
    await read(response('{"Response":{"RequestId":"r"}}'));
    expect(loadErrorTexts).not.toHaveBeenCalled();
    await read(response('{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}'));
    expect(loadErrorTexts).toHaveBeenCalledTimes(1);
  });
});

describe('bodies the up-front reader hands on', () => {
  it('an iterator whose step is not an object is an EnvelopeError unreadable-body', async () => {
    const body = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(undefined) }) };
    const err = await readBody({
      status: 200,
      headers: new Headers(),
      body: body as unknown as AsyncIterable<Uint8Array>,
    }).catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
    expect((err as Error).message).toContain('not an iterator result');
  });

  it('an event stream: a locked stream is an EnvelopeError; a reader-only stream (no async iterator) is read', async () => {
    const locked = new ReadableStream<Uint8Array>();
    locked.getReader();
    const events = parseEventStream(locked);
    const err = await events.next().catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
    const bytes = new TextEncoder().encode('data: {"a":1}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    // Only getReader, as a ReadableStream without Symbol.asyncIterator (Safari) offers.
    const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    const read: unknown[] = [];
    for await (const event of parseEventStream(readerOnly)) read.push(event.data);
    expect(read).toEqual([{ a: 1 }]);
  });
});
