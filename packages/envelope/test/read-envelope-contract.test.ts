// readEnvelope's own checks, through the public entry point: what it says about a response that is
// no response object, and which Content-Type counts as an event stream (refused, body released).
import { describe, expect, it } from 'vitest';
import { readEnvelope, type ResponseLike } from '@x/envelope';
import { refusal } from './refusal';

const context = { service: 'hunyuan', action: 'ChatCompletions', region: 'ap-guangzhou' };
const success = '{"Response":{"RequestId":"r-1"}}';

/** A body that records whether the reader released it. */
function body(text: string) {
  const state = { returned: 0 };
  const chunks = [new TextEncoder().encode(text)];
  const iterable = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async () => (i < chunks.length ? { done: false, value: chunks[i++]! } : { done: true, value: undefined }),
        return: async () => {
          state.returned++;
          return { done: true, value: undefined };
        },
      };
    },
  } as AsyncIterable<Uint8Array>;
  return { iterable, state };
}

describe('readEnvelope', () => {
  it.each([
    ['null', null, 'the response is null, not a response object'],
    ['a string', 'HTTP/1.1 200 OK', 'the response is a string, not a response object'],
    ['a number', 200, 'the response is a number, not a response object'],
  ])('refuses a response that is %s, with the call context', async (_label, response, detail) => {
    const err = await refusal(() => readEnvelope(response as unknown as ResponseLike, { context }));
    expect(err).toMatchObject({ reason: 'unreadable-body', ...context });
    expect(err.message).toContain(detail);
  });

  it.each(['text/event-stream', '  Text/Event-Stream; charset=utf-8'])(
    'refuses Content-Type %j as an event stream and releases the body',
    async (contentType) => {
      const { iterable, state } = body('data: {}\n\n');
      const headers = new Headers({ 'content-type': contentType, 'x-tc-requestid': 'sse-1' });
      const err = await refusal(() => readEnvelope({ status: 200, headers, body: iterable }, { context }));
      expect(err).toMatchObject({ reason: 'unexpected-content-type', requestId: 'sse-1', httpStatus: 200, ...context });
      expect(err.message).toContain('use stream() (client or transport) or parseEventStream, not call()');
      expect(state.returned).toBe(1);
    },
  );

  it.each(['application/json', 'application/json; profile=text/event-stream', 'x-text/event-stream'])(
    'reads Content-Type %j as an envelope',
    async (contentType) => {
      const { iterable } = body(success);
      const headers = new Headers({ 'content-type': contentType });
      expect(await readEnvelope({ status: 200, headers, body: iterable })).toMatchObject({
        ok: true,
        requestId: 'r-1',
      });
    },
  );

  it('reads a response without Content-Type', async () => {
    const { iterable } = body(success);
    expect(await readEnvelope({ status: 200, headers: new Headers(), body: iterable })).toMatchObject({ ok: true });
  });
});
