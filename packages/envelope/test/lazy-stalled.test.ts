import { afterEach, describe, expect, it, vi } from 'vitest';
import { getEventListeners } from 'node:events';
import type * as Errors from '@x/errors';

// The parts of @x/envelope that load by import() (the checks of a failed answer, the exact 64-bit
// parser, the readers of unusual bodies, the stream parser) and the texts of @x/errors can stall
// on a network that stops answering, for minutes in a browser. A reader given a signal stops
// waiting when it aborts: its reason is thrown, as for a body read. A part is replaced here by a
// module whose load never settles.
afterEach(() => {
  for (const part of ['../src/envelope-checks', '../src/json', '../src/body-source', '../src/event-source'])
    vi.doUnmock(part);
  vi.doUnmock('@x/errors');
  vi.resetModules();
});

type Part = '../src/envelope-checks' | '../src/json' | '../src/body-source' | '../src/event-source';

/** readEnvelope and parseEventStream from a fresh module graph where `part` never loads (their own files: the index imports some parts statically). */
async function stalled(part: Part) {
  vi.resetModules();
  vi.doMock(part, () => new Promise(() => {}));
  const [{ readEnvelope }, { parseEventStream }] = await Promise.all([
    import('../src/read-envelope'),
    import('../src/event-stream'),
  ]);
  return { readEnvelope, parseEventStream };
}

const response = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Response(body, { status: 200, headers: { 'X-TC-RequestId': 'hdr-1', ...headers } });
const failed = '{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r-err"}}';

/** A signal that aborts with `reason` once the reader is waiting (a timer: the read is under way by then). */
function abortSoon(reason: unknown): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), 10);
  return controller.signal;
}

describe('a stalled load ends with the signal', () => {
  it('readEnvelope waiting for the checks of an error answer', async () => {
    const { readEnvelope } = await stalled('../src/envelope-checks');
    const reason = new Error('gave up');
    await expect(readEnvelope(response(failed), { signal: abortSoon(reason) })).rejects.toBe(reason);
  });

  it('readEnvelope waiting for the exact parser of a body with a 64-bit integer', async () => {
    const { readEnvelope } = await stalled('../src/json');
    const reason = new Error('gave up');
    const body = '{"Response":{"RequestId":"r","Id":12345678901234567890}}';
    await expect(readEnvelope(response(body), { signal: abortSoon(reason) })).rejects.toBe(reason);
  });

  it('readEnvelope waiting for the reader of an unusual body (an async iterable)', async () => {
    const { readEnvelope } = await stalled('../src/body-source');
    const reason = new Error('gave up');
    const body = (async function* () {
      yield new TextEncoder().encode('{"Response":{"RequestId":"r"}}');
    })();
    const answer = { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body };
    await expect(readEnvelope(answer, { signal: abortSoon(reason) })).rejects.toBe(reason);
  });

  it("readEnvelope waiting for @x/errors' texts of an error answer", async () => {
    vi.resetModules();
    vi.doMock('@x/errors', async (importOriginal) => ({
      ...(await importOriginal<typeof Errors>()),
      loadErrorTexts: () => new Promise(() => {}),
    }));
    const { readEnvelope } = await import('../src/read-envelope');
    const reason = new Error('gave up');
    await expect(readEnvelope(response(failed), { signal: abortSoon(reason) })).rejects.toBe(reason);
  });

  it.each(['../src/event-source', '../src/json'] as const)(
    'parseEventStream waiting for %s alone (the other part loaded): the reason is thrown',
    async (part) => {
      const { parseEventStream } = await stalled(part);
      // The other part is in the module graph already, so only `part` holds the stream.
      await import(part === '../src/json' ? '../src/event-source' : '../src/json');
      const reason = new Error('gave up');
      const events = parseEventStream([new TextEncoder().encode('data: 1\n\n')], { signal: abortSoon(reason) });
      await expect(events.next()).rejects.toBe(reason);
    },
  );

  it('parseEventStream waiting for its parser: the reason is thrown and the body released', async () => {
    const { parseEventStream } = await stalled('../src/event-source');
    const reason = new Error('gave up');
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}),
      cancel: (why) => {
        cancelled = why ?? 'cancelled';
      },
    });
    const events = parseEventStream(body, { signal: abortSoon(reason) });
    await expect(events.next()).rejects.toBe(reason);
    await vi.waitFor(() => expect(cancelled).toBeDefined());
  });

  it('an already aborted signal: its reason at once, without waiting for the load', async () => {
    const { parseEventStream } = await stalled('../src/json');
    const reason = new Error('already');
    const events = parseEventStream([new TextEncoder().encode('data: 1\n\n')], { signal: AbortSignal.abort(reason) });
    await expect(events.next()).rejects.toBe(reason);
  });

  it('with a signal that never aborts nothing changes: a part that loads answers as before', async () => {
    vi.resetModules();
    const { readEnvelope } = await import('../src/index');
    const answer = await readEnvelope(response(failed), { signal: new AbortController().signal });
    expect(answer).toMatchObject({ ok: false, requestId: 'r-err' });
  });
});

describe('orAbort', () => {
  it('leaves no listener on the signal once it aborted, though the promise never settles', async () => {
    const { orAbort } = await import('../src/load-part');
    const controller = new AbortController();
    const reason = new Error('stop');
    const waiting = orAbort(new Promise(() => {}), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removes its listener when the promise settles first, either way', async () => {
    const { orAbort } = await import('../src/load-part');
    const signal = new AbortController().signal;
    await expect(orAbort(Promise.resolve('part'), signal)).resolves.toBe('part');
    const broken = new Error('broke');
    await expect(orAbort(Promise.reject(broken), signal)).rejects.toBe(broken);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

/** The unhandled rejections while `run` runs and a moment after. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 30));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return unhandled;
}

describe('a signal aborted already', () => {
  it('orAbort: its reason, and a later failure of the load is not unhandled', async () => {
    const { orAbort } = await import('../src/load-part');
    const reason = new Error('stopped');
    const unhandled = await unhandledDuring(async () => {
      const load = new Promise((_, reject) => setTimeout(() => reject(new Error('the chunk failed')), 5));
      await expect(orAbort(load, AbortSignal.abort(reason))).rejects.toBe(reason);
    });
    expect(unhandled).toEqual([]);
  });

  it('parseEventStream loads nothing: its reason, the body released', async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock('../src/event-source', async (importOriginal) => {
      loads++;
      return importOriginal();
    });
    const { parseEventStream } = await import('../src/event-stream');
    const reason = new Error('stopped');
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ cancel: () => void (cancelled = true) });
    await expect(parseEventStream(body, { signal: AbortSignal.abort(reason) }).next()).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 20)); // a load started would have reached the module by now
    expect(loads).toBe(0);
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });

  it('readEnvelope of an event stream: its reason', async () => {
    const { readEnvelope } = await stalled('../src/body-source');
    const reason = new Error('stopped');
    const answer = response('data: 1\n\n', { 'content-type': 'text/event-stream' });
    await expect(readEnvelope(answer, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe("parseEventStream's signal ends the read", () => {
  it('mid-stream, while waiting for the next chunk: its reason, the body cancelled', async () => {
    const { parseEventStream } = await import('../src/event-stream');
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
      cancel: (why) => void (cancelled = why),
    });
    const controller = new AbortController();
    const events = parseEventStream(body, { signal: controller.signal });
    await expect(events.next()).resolves.toMatchObject({ value: { data: { n: 1 } } });
    const reason = new Error('the user left');
    const next = events.next();
    setTimeout(() => controller.abort(reason), 10);
    await expect(next).rejects.toBe(reason);
    expect(cancelled).toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('between events, while the consumer holds the stream: the next step throws its reason', async () => {
    const { parseEventStream } = await import('../src/event-stream');
    const controller = new AbortController();
    const chunks = [new TextEncoder().encode('data: 1\n\ndata: 2\n\n')];
    const events = parseEventStream(chunks, { signal: controller.signal });
    await expect(events.next()).resolves.toMatchObject({ value: { data: '1' } });
    const reason = new Error('enough');
    controller.abort(reason);
    // The event already parsed with the first chunk still comes; the read stops after it.
    await expect(events.next()).resolves.toMatchObject({ value: { data: '2' } });
    await expect(events.next()).rejects.toBe(reason);
  });

  it('a stream read to its end leaves no listener on the signal', async () => {
    const { parseEventStream } = await import('../src/event-stream');
    const signal = new AbortController().signal;
    const seen = [];
    for await (const event of parseEventStream([new TextEncoder().encode('data: 1\n\n')], { signal }))
      seen.push(event.data);
    expect(seen).toEqual(['1']);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
