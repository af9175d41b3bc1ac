import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError, isNetworkError } from '@x/errors';
import type * as BodySource from '../src/body-source';
import type * as Checks from '../src/envelope-checks';
import type * as EventSource from '../src/event-source';
import type * as Json from '../src/json';

// readEnvelope answers a plain successful envelope itself (envelope-shape.ts) and loads the checks
// that explain any other answer (envelope-checks.ts, with ApiError) by import() at first need. The
// module is replaced here to see when it loads and to make its load fail.
afterEach(() => {
  vi.doUnmock('../src/envelope-checks');
  vi.doUnmock('../src/body-source');
  vi.doUnmock('../src/event-source');
  vi.doUnmock('../src/json');
  vi.resetModules();
});

/** A fresh module graph in which `part` fails to load `failures` times first; `loads` counts the attempts. */
function failingLoads(
  part: '../src/envelope-checks' | '../src/body-source' | '../src/event-source' | '../src/json',
  failures: number,
) {
  vi.resetModules();
  const loads = { attempts: 0 };
  vi.doMock(part, async (importOriginal) => {
    loads.attempts++;
    if (loads.attempts <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return importOriginal<typeof Checks | typeof BodySource | typeof EventSource | typeof Json>();
  });
  return loads;
}

async function readEnvelopeWith(failures: number) {
  const loads = failingLoads('../src/envelope-checks', failures);
  // read-envelope.ts, not the index: parseEnvelope imports the checks statically.
  const { readEnvelope } = await import('../src/read-envelope');
  return { readEnvelope, loads };
}

const response = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', 'X-TC-RequestId': 'hdr-1' } });
const failed = '{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r-err"}}';

describe('readEnvelope loads the checks of a failed answer on first need', () => {
  it('not for a successful envelope; for an error envelope, once', async () => {
    const { readEnvelope, loads } = await readEnvelopeWith(0);
    await expect(readEnvelope(response('{"Response":{"RequestId":"r-1"}}'))).resolves.toMatchObject({ ok: true });
    expect(loads.attempts).toBe(0);
    const answer = await readEnvelope(response(failed, 400));
    expect(answer.ok === false && isApiError(answer.error, 'InvalidParameter')).toBe(true);
    await readEnvelope(response('{"Response":{}}')).catch(() => undefined);
    expect(loads.attempts).toBe(1);
  });

  it('a load that fails is a NetworkError with the RequestId, not the loader TypeError; the next read loads again', async () => {
    const { readEnvelope, loads } = await readEnvelopeWith(1);
    const err = await readEnvelope(response(failed, 400), {
      context: { service: 'cvm', action: 'RunInstances' },
    }).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ requestId: 'hdr-1', mayHaveReachedServer: true, action: 'RunInstances' });
    expect((err as Error).message).toContain('the answer came but the code that reads it could not be loaded');
    // vitest wraps the factory's error; in a browser the cause is the loader's own TypeError.
    expect((err as Error).cause).toBeInstanceOf(Error);
    const answer = await readEnvelope(response(failed, 400));
    expect(answer.ok === false && answer.error.requestId).toBe('r-err');
    expect(loads.attempts).toBe(2);
  });
});

// readBody reads a web stream of Uint8Array (what fetch gives) and an array of them (the Node
// sender's whole body) itself; anything else, and the EnvelopeErrors of a body that cannot be read
// or is over its cap, come from body-source.ts, loaded when needed.
describe('readBody loads the readers of unusual bodies and their errors on first need', () => {
  afterEach(() => {
    vi.doUnmock('../src/body-source');
  });

  async function readBodyWith(failures: number) {
    const loads = failingLoads('../src/body-source', failures);
    const { readBody, readBodyText } = await import('../src/read-body');
    return { readBody, readBodyText, loads };
  }

  const streamOf = (...chunks: unknown[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk as Uint8Array);
        controller.close();
      },
    });
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const answer = (body: ReadableStream<Uint8Array> | Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => ({
    status: 200,
    headers: new Headers({ 'X-TC-RequestId': 'hdr-2', 'Content-Type': 'application/json' }),
    body,
  });

  it('not for a web stream of Uint8Array nor an array of them', async () => {
    const { readBodyText, loads } = await readBodyWith(0);
    expect(await readBodyText(answer(streamOf(utf8('{"a":'), utf8('1}'))))).toBe('{"a":1}');
    expect(await readBodyText(answer([utf8('ab'), utf8('c')]))).toBe('abc');
    expect(loads.attempts).toBe(0);
  });

  it('for other chunks (converted), an async iterable, a locked stream and a body over its cap', async () => {
    const { readBodyText, loads } = await readBodyWith(0);
    expect(await readBodyText(answer(streamOf('ab', new Uint16Array([0x6463]))))).toBe('abcd');
    expect(loads.attempts).toBe(1);
    async function* parts() {
      yield utf8('x');
    }
    expect(await readBodyText(answer(parts()))).toBe('x');
    const locked = streamOf(utf8('x'));
    locked.getReader();
    await expect(readBodyText(answer(locked))).rejects.toMatchObject({
      name: 'EnvelopeError',
      reason: 'unreadable-body',
      detail: 'the response body cannot be read (is it locked or already read?)',
    });
    await expect(readBodyText(answer(streamOf(utf8('12345'))), { maxBytes: 4 })).rejects.toMatchObject({
      name: 'EnvelopeError',
      reason: 'body-too-large',
      requestId: 'hdr-2',
    });
  });

  it('a load that fails is a NetworkError with the RequestId; the next read loads again', async () => {
    const { readBody, loads } = await readBodyWith(1);
    const err = await readBody(answer(streamOf(utf8('12345'))), {
      maxBytes: 4,
      context: { service: 'cvm', action: 'DescribeZones' },
    }).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ requestId: 'hdr-2', action: 'DescribeZones', mayHaveReachedServer: true });
    await expect(readBody(answer(streamOf(utf8('12345'))), { maxBytes: 4 })).rejects.toMatchObject({
      reason: 'body-too-large',
    });
    expect(loads.attempts).toBe(2);
  });

  it('a body is released even when the code that would read or refuse it cannot be loaded', async () => {
    const { readBodyText } = await readBodyWith(1);
    let cancelled: unknown;
    const odd = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue('not bytes' as unknown as Uint8Array);
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    });
    const err = await readBodyText(answer(odd)).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(cancelled).toBeDefined();

    failingLoads('../src/body-source', 1);
    const { readEnvelope } = await import('../src/read-envelope');
    let released = false;
    const events = new ReadableStream<Uint8Array>({
      cancel() {
        released = true;
      },
    });
    const refused = await readEnvelope({
      status: 200,
      headers: new Headers({ 'Content-Type': 'text/event-stream', 'X-TC-RequestId': 'hdr-3' }),
      body: events,
    }).catch((e: unknown) => e);
    expect(isNetworkError(refused)).toBe(true);
    expect(refused).toMatchObject({ requestId: 'hdr-3' });
    expect(released).toBe(true);
  });
});

describe('parseEventStream loads its parser and the JSON parser at the first stream', () => {
  const events = 'data: {"Id":12345678901234567890}\n\ndata: plain\n\n';
  /** A web stream of `text` that records whether it was cancelled. */
  function body(text: string) {
    const state = { cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return { stream, state };
  }

  it.each(['../src/event-source', '../src/json'] as const)(
    'a failed load of %s is a NetworkError with the RequestId, the body released; the next stream loads again',
    async (part) => {
      const loads = failingLoads(part, 1);
      const { parseEventStream } = await import('../src/event-stream');
      const { stream, state } = body(events);
      const meta = {
        headers: { 'X-TC-RequestId': 'sse-1' },
        context: { service: 'hunyuan', action: 'ChatCompletions' },
      };
      const err = await (async () => {
        for await (const _ of parseEventStream(stream, meta)) throw new Error('no event expected');
      })().catch((e: unknown) => e);
      expect(isNetworkError(err)).toBe(true);
      expect(err).toMatchObject({ requestId: 'sse-1', mayHaveReachedServer: true, action: 'ChatCompletions' });
      expect((err as Error).message).toContain('the answer came but the code that reads it could not be loaded');
      await new Promise((resolve) => setTimeout(resolve, 0)); // the release is not awaited
      expect(state.cancelled).toBe(true);
      const again = [];
      for await (const event of parseEventStream(body(events).stream, meta)) again.push(event.data);
      expect(again).toEqual([{ Id: 12345678901234567890n }, 'plain']);
      expect(loads.attempts).toBe(2);
    },
  );
});
