import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isApiError, isEnvelopeError } from '@x/errors';
import {
  DEFAULT_MAX_EVENT_BYTES,
  parseEnvelope,
  parseEventStream,
  readEnvelope,
  type ResponseLike,
  type ServerSentEvent,
} from '../src/index';
import { caught, streamOf } from './helpers';

const text = (s: string) => new TextEncoder().encode(s);

async function collect<T>(iterable: AsyncIterable<ServerSentEvent<T>>): Promise<ServerSentEvent<T>[]> {
  const out: ServerSentEvent<T>[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

describe('an SSE error event holding values JSON.stringify refuses', () => {
  it('an integer above 2^53 in an `event: error` gives an ApiError, not a TypeError', async () => {
    const err = await caught(() =>
      collect(
        parseEventStream(streamOf([text('event: error\ndata: {"Id":9007199254740993,"Detail":"quota"}\n\n')]), {
          headers: { 'X-TC-RequestId': 'r-big' },
        }),
      ),
    );
    expect(isApiError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'InternalError', requestId: 'r-big' });
    expect((err as Error).message).toContain('9007199254740993');
  });

  it('an ErrorMsg.Code that is an object which cannot become a string gives an ApiError', async () => {
    const err = await caught(() =>
      collect(
        parseEventStream(streamOf([text('data: {"ErrorMsg":{"Code":{"toString":1,"valueOf":1},"Msg":"x"}}\n\n')])),
      ),
    );
    expect(isApiError(err)).toBe(true);
  });
});

describe('SSE event size', () => {
  it('refuses one event larger than maxEventBytes with an EnvelopeError, and cancels the body', async () => {
    let cancelled = false;
    const chunks = [text('data: '), ...Array.from({ length: 20 }, () => text('x'.repeat(100)))];
    const body = streamOf(chunks, () => (cancelled = true));
    const err = await caught(() => collect(parseEventStream(body, { maxEventBytes: 1000 })));
    expect(isEnvelopeError(err) && err.reason).toBe('body-too-large');
    expect((err as Error).message).toMatch(/one event is larger than the 1000-byte limit/);
    expect(cancelled).toBe(true);
  });

  it('counts every line of the event, in UTF-8 bytes, and resets at each event', async () => {
    const ok = await collect(
      parseEventStream(streamOf([text('data: 你好\ndata: 你好\n\ndata: 你好\n\n')]), { maxEventBytes: 30 }),
    );
    expect(ok).toHaveLength(2);
    const err = await caught(() =>
      collect(parseEventStream(streamOf([text('data: 你好你好\ndata: 你好你好\n\n')]), { maxEventBytes: 30 })),
    );
    expect(isEnvelopeError(err)).toBe(true);
  });

  it('has a documented default that a 16 MiB line fits in', () => {
    expect(DEFAULT_MAX_EVENT_BYTES).toBe(32 * 1024 * 1024);
  });

  it('parses one long line fed in many small chunks exactly', async () => {
    const payload = 'y'.repeat(300_000);
    const bytes = text(`data: {"A":"${payload}"}\n\n`);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1000) parts.push(bytes.slice(i, i + 1000));
    const [event] = await collect(parseEventStream<{ A: string }>(streamOf(parts)));
    expect(event?.data.A).toBe(payload);
  });

  it('refuses a bad maxEventBytes with a UsageError', async () => {
    const err = await caught(() => collect(parseEventStream(streamOf([]), { maxEventBytes: -1 })));
    expect(err).toMatchObject({ name: 'UsageError', argument: 'maxEventBytes' });
  });
});

describe('pathological numbers', () => {
  it('refuses a bigint of thousands of digits instead of blocking the event loop', () => {
    const body = `{"Response":{"Id":${'9'.repeat(5000)},"RequestId":"r"}}`;
    const err = (() => {
      try {
        parseEnvelope(body);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isEnvelopeError(err) && err.reason).toBe('invalid-json');
    expect((err as Error).message).toMatch(/a number of more than 1000 digits at position 18/);
  });

  it('keeps exact 64-bit and longer-but-sane integers', () => {
    const big = '1' + '0'.repeat(200);
    const result = parseEnvelope(`{"Response":{"Id":${big},"RequestId":"r"}}`);
    expect(result.ok && result.data['Id']).toBe(BigInt(big));
    const asText = parseEnvelope(`{"Response":{"Id":${'9'.repeat(5000)},"RequestId":"r"}}`, { integers: 'string' });
    expect(asText.ok && (asText.data['Id'] as string).length).toBe(5000);
  });
});

describe('readEnvelope on bodies of the wrong shape', () => {
  const response = (body: unknown): ResponseLike => ({
    status: 200,
    headers: new Headers(),
    body: body as ResponseLike['body'],
  });

  it.each([
    ['yields null', [null]],
    ['yields a number', [42]],
    ['yields an object', [{ length: 3 }]],
  ])('an iterable that %s gives an EnvelopeError', async (_name, items) => {
    const err = await caught(() => readEnvelope(response(items)));
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
  });

  it('an iterator that throws on creation gives an EnvelopeError', async () => {
    const body = {
      [Symbol.asyncIterator]() {
        throw new RangeError('no');
      },
    };
    const err = await caught(() => readEnvelope(response(body)));
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
    expect((err as Error).cause).toBeInstanceOf(RangeError);
  });

  it('an iterator whose next() answers something other than a step gives an EnvelopeError', async () => {
    const body = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(null) }) };
    const err = await caught(() => readEnvelope(response(body)));
    expect(isEnvelopeError(err) && err.reason).toBe('unreadable-body');
    const noNext = { [Symbol.asyncIterator]: () => ({}) };
    expect(isEnvelopeError(await caught(() => readEnvelope(response(noNext))))).toBe(true);
  });

  it('a response that is not an object gives an EnvelopeError', async () => {
    expect(isEnvelopeError(await caught(() => readEnvelope(null as unknown as ResponseLike)))).toBe(true);
  });

  it('accepts other byte views (ArrayBuffer, DataView) as bytes', async () => {
    const bytes = text('{"Response":{"RequestId":"r"}}');
    const result = await readEnvelope(response([bytes.buffer, new DataView(bytes.buffer)].slice(0, 1)));
    expect(result.ok).toBe(true);
  });
});

describe('the JSON syntax error kept as cause quotes no body text', () => {
  it('an unquoted secret value does not reach the cause', async () => {
    const marker = 'MARKERsecretVALUE0123456789';
    const err = await caught(() =>
      parseEnvelope(`{"Response":{"Credentials":{"TmpSecretKey": ${marker}, "Token": "${marker}"}}}`),
    );
    expect(isEnvelopeError(err)).toBe(true);
    const cause = (err as Error).cause as Error;
    for (const t of [String(cause?.message), (err as Error).message, JSON.stringify(err), inspect(err, { depth: 5 })]) {
      for (let i = 0; i + 10 <= marker.length; i++) expect(t).not.toContain(marker.slice(i, i + 10));
    }
  });
});
