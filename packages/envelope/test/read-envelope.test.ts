import { describe, expect, it } from 'vitest';
import { isEnvelopeError, isNetworkError } from '@x/errors';
import { readBody, readEnvelope, type ResponseLike } from '../src/index';
import { caught, chunks, fixture, fixtureText, streamOf } from './helpers';

describe('readEnvelope', () => {
  it('reads a fetch Response', async () => {
    const response = new Response(streamOf(chunks(fixture('success.json'), 7)), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
    expect(await readEnvelope(response)).toMatchObject({ ok: true, requestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c' });
  });

  it('reads what a Node sender returns (an async iterable body)', async () => {
    async function* body() {
      yield* chunks(fixture('error.json'), 5);
    }
    const response: ResponseLike = { status: 200, headers: new Headers(), body: body() };
    const result = await readEnvelope(response, { context: { action: 'DescribeInstances' } });
    expect(!result.ok && result.error.action).toBe('DescribeInstances');
  });

  it('passes status and headers on: a gateway page becomes an EnvelopeError with the trace id', async () => {
    const response = new Response(fixtureText('gateway-502.html'), {
      status: 502,
      headers: { 'content-type': 'text/html', 'X-TC-TraceId': 'trace-1' },
    });
    const err = await caught(() => readEnvelope(response));
    expect(err).toMatchObject({
      kind: 'envelope',
      reason: 'http-status',
      httpStatus: 502,
      requestId: 'trace-1',
      contentType: 'text/html',
    });
  });

  it('refuses an event stream where an envelope was expected, and cancels it', async () => {
    let cancelled = false;
    const response = new Response(
      streamOf([fixture('hunyuan.sse')], () => (cancelled = true)),
      {
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'X-TC-RequestId': 'sse-1' },
      },
    );
    const err = await caught(() => readEnvelope(response));
    expect(err).toMatchObject({ reason: 'unexpected-content-type', requestId: 'sse-1' });
    expect((err as Error).message).toMatch(/use stream\(\)/);
    expect(cancelled).toBe(true);
  });

  it('treats a missing body as empty', async () => {
    const err = await caught(() => readEnvelope({ status: 200, headers: new Headers(), body: null }));
    expect(isEnvelopeError(err) && err.reason).toBe('empty-body');
  });
});

describe('readBody', () => {
  it('stops past the size cap, cancels the body, and says so', async () => {
    let cancelled = false;
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const err = await caught(() =>
      readBody({ status: 200, headers: new Headers(), body: endless }, { maxBytes: 10_000 }),
    );
    expect(err).toMatchObject({ kind: 'envelope', reason: 'body-too-large' });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(20);
  });

  it('refuses at once when Content-Length is over the cap', async () => {
    const response = new Response('x'.repeat(100), { headers: { 'content-length': '100' } });
    const err = await caught(() => readBody(response, { maxBytes: 10 }));
    expect(isEnvelopeError(err) && err.message).toMatch(/Content-Length 100/);
  });

  it('defaults to a 64 MiB cap and concatenates chunks', async () => {
    const body = await readBody(new Response(streamOf([new Uint8Array([1, 2]), new Uint8Array([3])])));
    expect([...body]).toEqual([1, 2, 3]);
  });

  it('rethrows the abort reason of the signal unchanged', async () => {
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const pending = readBody({ status: 200, headers: new Headers(), body: never }, { signal: controller.signal });
    controller.abort(reason);
    expect(await caught(() => pending)).toBe(reason);
  });

  it('turns a connection that breaks mid-body into a NetworkError', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([123]));
        c.error(new Error('ECONNRESET'));
      },
    });
    const err = await caught(() => readBody({ status: 200, headers: new Headers(), body: broken }));
    expect(isNetworkError(err) && err.mayHaveReachedServer).toBe(true);
  });
});

describe('bodies of other shapes', () => {
  it('reads a plain iterable of chunks', async () => {
    const response = {
      status: 200,
      headers: new Headers(),
      body: [fixture('success.json')] as unknown as AsyncIterable<Uint8Array>,
    };
    expect((await readEnvelope(response)).ok).toBe(true);
  });

  it('refuses a body that is not a stream or iterable with an EnvelopeError, not a TypeError', async () => {
    const response = {
      status: 200,
      headers: new Headers(),
      body: { bytes: 1 } as unknown as AsyncIterable<Uint8Array>,
    };
    const err = await caught(() => readEnvelope(response));
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
  });
});
