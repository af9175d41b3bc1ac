import { describe, expect, it } from 'vitest';
import { isApiError, isEnvelopeError, type ApiError } from '@x/errors';
import { parseEventStream, type ServerSentEvent } from '../src/index';
import { caught, chunks, fixture, streamOf } from './helpers';

async function collect<T>(iterable: AsyncIterable<ServerSentEvent<T>>): Promise<ServerSentEvent<T>[]> {
  const out: ServerSentEvent<T>[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

interface HunyuanEvent {
  Choices: { FinishReason: string; Delta: { Content: string } }[];
}

describe('parseEventStream', () => {
  it('parses a hunyuan stream fed byte by byte, even through multi-byte characters', async () => {
    const bytes = fixture('hunyuan.sse');
    for (const size of [1, 2, 3, 5, 7, bytes.length]) {
      const events = await collect(parseEventStream<HunyuanEvent>(streamOf(chunks(bytes, size))));
      expect(events.map((e) => e.data.Choices[0]?.Delta.Content).join('')).toBe('你好，世界！');
      expect(events.at(-1)?.data.Choices[0]?.FinishReason).toBe('stop');
    }
  });

  it('reads an async iterable of bytes as well as a web stream', async () => {
    async function* gen() {
      yield* chunks(fixture('hunyuan.sse'), 4);
    }
    expect(await collect(parseEventStream(gen()))).toHaveLength(3);
  });

  it('handles the whole grammar: comments, id, retry, event, multi-line data, CRLF; then a CLS error event', async () => {
    const seen: ServerSentEvent[] = [];
    const err = await caught(async () => {
      for await (const e of parseEventStream(streamOf(chunks(fixture('cls.sse'), 1)), {
        headers: { 'X-TC-RequestId': 'hdr-cls' },
      }))
        seen.push(e);
    });
    expect(seen).toEqual([
      { id: '1', data: { RequestId: 'cls-1', Choices: [{ FinishReason: null, Delta: { Content: 'a' } }] } },
      {
        event: 'message',
        id: '2',
        retry: 3000,
        data: { RequestId: 'cls-1', Choices: [{ FinishReason: 'stop', Delta: { Content: 'b' } }] },
      },
    ]);
    expect(isApiError(err, 'InternalError')).toBe(true);
    expect((err as ApiError).requestId).toBe('cls-1');
    expect((err as ApiError).serverMessage).toBe('stream failed');
  });

  it('ends with an ApiError carrying the stream RequestId on a hunyuan ErrorMsg', async () => {
    const seen: unknown[] = [];
    const err = await caught(async () => {
      for await (const e of parseEventStream(streamOf(chunks(fixture('hunyuan-error.sse'), 3)), {
        headers: new Headers({ 'X-TC-RequestId': 'req-stream-1' }),
        context: { service: 'hunyuan', action: 'ChatCompletions' },
      }))
        seen.push(e);
    });
    expect(seen).toHaveLength(1);
    expect(isApiError(err)).toBe(true);
    expect(err).toMatchObject({
      code: '4001',
      serverMessage: 'model timeout',
      requestId: 'req-stream-1',
      service: 'hunyuan',
    });
  });

  it('follows the standard: CR line ends, BOM, field without colon, single leading space, no dispatch of an unfinished event', async () => {
    const events = await collect(
      parseEventStream(
        streamOf([text('\uFEFFdata:  two spaces\r\rdata\r\revent: x\rdata: {"a":1}\r\n\r\ndata: cut off')]),
      ),
    );
    expect(events).toEqual([{ data: ' two spaces' }, { data: '' }, { event: 'x', data: { a: 1 } }]);
  });

  it('keeps the last id across events, ignores ids with NUL and non-numeric retry', async () => {
    const events = await collect(
      parseEventStream(streamOf([text('id: 7\ndata: a\n\ndata: b\n\nid: x\0y\nretry: soon\ndata: c\n\n')])),
    );
    expect(events).toEqual([
      { id: '7', data: 'a' },
      { id: '7', data: 'b' },
      { id: '7', data: 'c' },
    ]);
  });

  it('keeps 64-bit integers in events exact', async () => {
    const [event] = await collect(parseEventStream(streamOf([text('data: {"Id":18446744073709551615}\n\n')])));
    expect(event?.data).toEqual({ Id: 18446744073709551615n });
  });

  it('cancels the body when the loop is left early', async () => {
    let cancelled = false;
    const body = streamOf(chunks(fixture('hunyuan.sse'), 10), () => {
      cancelled = true;
    });
    for await (const _event of parseEventStream(body)) break;
    expect(cancelled).toBe(true);
  });

  it('returns an async iterable when the loop is left early', async () => {
    let returned = false;
    const iterable: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        const parts = chunks(fixture('hunyuan.sse'), 10);
        return {
          next: () =>
            Promise.resolve(
              parts.length
                ? { done: false as const, value: parts.shift()! }
                : { done: true as const, value: undefined },
            ),
          return: () => {
            returned = true;
            return Promise.resolve({ done: true as const, value: undefined });
          },
        };
      },
    };
    for await (const _event of parseEventStream(iterable)) break;
    expect(returned).toBe(true);
  });

  it('turns a broken stream into a NetworkError and a missing body into an EnvelopeError', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(text('data: {"a":1}\n\n'));
        controller.error(new Error('socket hang up'));
      },
    });
    const err = await caught(() => collect(parseEventStream(broken)));
    expect(err).toMatchObject({ kind: 'network', mayHaveReachedServer: true });
    expect(
      isEnvelopeError(await caught(() => collect(parseEventStream(null as unknown as ReadableStream<Uint8Array>)))),
    ).toBe(true);
  });
});
