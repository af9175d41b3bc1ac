// The stream parser's edges, from the mutation run of 2026-12-01 (MUTATION.md): what an event
// whose data is not an object says, which error shapes end a stream and which pass as data, the
// message of an error event that is not an envelope, the language of its hint, and when the body
// is released.
import { describe, expect, it } from 'vitest';
import { isApiError, isEnvelopeError, isNetworkError, type ApiError } from '@x/errors';
import { parseEventStream, type EventStreamOptions, type ServerSentEvent } from '../src/index';

const enc = new TextEncoder();

async function read(text: string, meta: EventStreamOptions = {}) {
  const events: ServerSentEvent[] = [];
  try {
    for await (const event of parseEventStream([enc.encode(text)], meta)) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe('what an event holds', () => {
  it('data that is not an object or array stays text, even when it is a JSON number', async () => {
    expect((await read('data: 42\n\ndata: true\n\n')).events.map((e) => e.data)).toEqual(['42', 'true']);
  });

  it('objects that only look like errors pass as data', async () => {
    const { events, error } = await read(
      [
        'data: {"Response":null}',
        'data: {"Response":{"RequestId":"r"}}',
        'data: {"Response":{"Error":{"Code":5}}}',
        'data: {"ErrorMsg":{"Msg":"x"}}',
        'data: {"ErrorMsg":{"Code":0,"Msg":"ok"}}',
      ].join('\n\n') + '\n\n',
    );
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data)).toEqual([
      { Response: null },
      { Response: { RequestId: 'r' } },
      { Response: { Error: { Code: 5 } } },
      { ErrorMsg: { Msg: 'x' } },
      { ErrorMsg: { Code: 0, Msg: 'ok' } },
    ]);
  });
});

describe('errors a stream reports', () => {
  it('a hunyuan ErrorMsg code past 2^53 keeps its digits, without quotes', async () => {
    const { error } = await read('data: {"ErrorMsg":{"Code":12345678901234567890,"Msg":"m"}}\n\n');
    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({ code: '12345678901234567890', serverMessage: 'm' });
  });

  it('event: error with text data: the text itself is the message, not its JSON', async () => {
    const { error } = await read('event: error\ndata: busy\n\n', { headers: { 'X-TC-RequestId': 'h-1' } });
    expect(error).toMatchObject({ code: 'InternalError', serverMessage: 'busy', requestId: 'h-1' });
  });

  it('event: error with an object that is no envelope: its JSON, cut at 200 characters', async () => {
    const { error } = await read(`event: error\ndata: {"A":"${'x'.repeat(300)}"}\n\n`);
    expect((error as ApiError).serverMessage).toBe(`{"A":"${'x'.repeat(194)}`);
    expect((error as ApiError).serverMessage).toHaveLength(200);
  });

  it('without headers the RequestId is empty, never undefined', async () => {
    for (const text of ['event: error\ndata: {"A":1}\n\n', 'data: {"ErrorMsg":{"Code":4001,"Msg":"m"}}\n\n']) {
      const { error } = await read(text);
      expect((error as ApiError).requestId).toBe('');
    }
  });

  it("the hint is in the stream's language when only `language` is given", async () => {
    const { error } = await read('event: error\ndata: busy\n\n', { language: 'zh-CN' });
    expect((error as ApiError).message).toContain('服务端故障');
  });
});

describe('when the body is released', () => {
  /** An async iterable over `steps` (a chunk, or an Error to throw) that records whether return() was called. */
  function iterable(steps: (string | Error)[]) {
    const state = { returned: false };
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        let index = 0;
        return {
          next: () => {
            const step = steps[index++];
            if (step === undefined) return Promise.resolve({ done: true, value: undefined });
            if (step instanceof Error) return Promise.reject(step);
            return Promise.resolve({ done: false, value: enc.encode(step) });
          },
          return: () => {
            state.returned = true;
            return Promise.resolve({ done: true, value: undefined });
          },
        };
      },
    };
    return { body, state };
  }

  it('not after the stream was read to its end', async () => {
    const { body, state } = iterable(['data: a\n\n']);
    for await (const _ of parseEventStream(body)) void _;
    expect(state.returned).toBe(false);
  });

  it('when the first read fails, and the failure names the stream with its RequestId', async () => {
    const { body, state } = iterable([new Error('reset by peer')]);
    const err = await (async () => {
      for await (const _ of parseEventStream(body, { headers: { 'X-TC-RequestId': 'r-9' } })) void _;
    })().catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ requestId: 'r-9' });
    expect((err as Error).message).toContain('the event stream broke');
    expect(state.returned).toBe(true);
  });

  it('a function is no body: an EnvelopeError, as for any value that cannot be read', async () => {
    const err = await (async () => {
      for await (const _ of parseEventStream((() => undefined) as never)) void _;
    })().catch((e: unknown) => e);
    expect(isEnvelopeError(err)).toBe(true);
    expect(err).toMatchObject({ reason: 'unreadable-body' });
  });
});
