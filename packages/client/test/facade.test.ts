import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isEnvelopeError, isTimeoutError, isUsageError } from '@x/errors';
import { createClient, type ServiceDescriptor } from '../src/index';

// A 127.0.0.1 stand-in for the API: records each request and answers as the test says.
interface Seen {
  action: string;
  contentType: string;
  body: string;
}
let server: Server;
let url = '';
const seen: Seen[] = [];
type Answer = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const json =
  (response: Record<string, unknown>): Answer =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response: response }));
  };
let answer: Answer = json({ RequestId: 'req-default' });
// Requests of one action: a request timed out by an earlier test may still be recorded late.
const of = (action: string) => seen.filter((s) => s.action === action);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ action: String(req.headers['x-tc-action']), contentType: String(req.headers['content-type']), body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  seen.length = 0;
  answer = json({ RequestId: 'req-default' });
});

const credentials = { secretId: 'AKIDtest', secretKey: 'test-secret-key' };
const descriptor: ServiceDescriptor = {
  service: 'hunyuan',
  version: '2023-09-01',
  streaming: { ChatCompletions: 'Stream', ChatStream: '' },
  streamHosts: { ChatCompletions: 'hunyuan.stream.example' },
  multipart: ['UploadFile'],
};
const typed = (extra: object = {}) =>
  createClient(descriptor, { region: 'ap-guangzhou', endpoint: url, credentials, retry: false, ...extra });
const sse =
  (events: string[]): Answer =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tc-requestid': 'req-sse' });
    res.end(events.map((data) => `data: ${data}\n\n`).join(''));
  };

describe('createClient', () => {
  it('refuses what is neither a descriptor nor an options object, naming the argument', () => {
    for (const bad of [undefined, null, 'cvm', 7]) {
      const err = (() => {
        try {
          createClient(bad as never);
        } catch (e) {
          return e;
        }
      })();
      expect(isUsageError(err) && err.argument).toBe('createClient');
    }
    const err = (() => {
      try {
        createClient(descriptor, 'x' as never);
      } catch (e) {
        return e;
      }
    })();
    expect(isUsageError(err) && err.argument).toBe('createClient(service, options)');
  });

  it('calls with the descriptor service and version, and returns the data', async () => {
    answer = json({ Answer: 42, RequestId: 'req-1' });
    const data = await typed().untyped.call('GetThing', { A: 1 });
    expect(data).toEqual({ Answer: 42, RequestId: 'req-1' });
    expect(of('GetThing')).toEqual([
      { action: 'GetThing', contentType: 'application/json; charset=utf-8', body: '{"A":1}' },
    ]);
  });

  it('sends the descriptor multipart actions as multipart/form-data, others as JSON', async () => {
    await typed().untyped.call('UploadFile', { Name: 'a' });
    await typed().untyped.call('UploadFile', { Name: 'a' }, { multipart: false });
    expect(of('UploadFile')[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(of('UploadFile')[1]!.contentType).toBe('application/json; charset=utf-8');
  });

  it('gives the same client as untyped, its transport, and close()', () => {
    const client = typed();
    expect(client.untyped).toBe(client);
    expect(typeof client.transport.call).toBe('function');
    expect(() => client.close()).not.toThrow();
  });
});

describe('timeouts', () => {
  const hang: Answer = () => undefined;
  it.each([
    ['a number (per attempt)', 60, 'attempt'],
    ['{ attemptMs }', { attemptMs: 60 }, 'attempt'],
    ['{ totalMs }', { totalMs: 60 }, 'total'],
  ] as const)('%s, on the client or per call', async (_name, timeout, scope) => {
    answer = hang;
    for (const [client, perCall] of [
      [typed({ timeout }), undefined],
      [typed(), { timeout }],
    ] as const) {
      const err = await client.untyped.call('DescribeSlowThings', {}, perCall).catch((e: unknown) => e);
      expect(isTimeoutError(err) && err.scope).toBe(scope);
      expect(isTimeoutError(err) && err.timeoutMs).toBe(60);
    }
  });
});

describe('stream', () => {
  it('sets the switch param, keeps an explicit endpoint, and yields each event data', async () => {
    answer = sse(['{"Delta":"a"}', '{"Delta":"b"}']);
    const stream = await typed().untyped.stream('ChatCompletions', { Model: 'm' });
    expect(stream.requestId).toBe('req-sse');
    const out: unknown[] = [];
    for await (const data of stream) out.push(data);
    expect(out).toEqual([{ Delta: 'a' }, { Delta: 'b' }]);
    expect(JSON.parse(of('ChatCompletions')[0]!.body)).toEqual({ Model: 'm', Stream: true });
  });

  it('sends the params as they are for an action without a switch param', async () => {
    answer = sse(['{"n":1}']);
    const stream = await typed().untyped.stream('ChatStream', { Model: 'm' });
    for await (const _ of stream) break;
    expect(JSON.parse(of('ChatStream')[0]!.body)).toEqual({ Model: 'm' });
  });

  it('refuses Stream: false and an action the descriptor does not stream, before sending', async () => {
    const off = await typed()
      .untyped.stream('ChatCompletions', { Stream: false })
      .catch((e: unknown) => e);
    expect(isUsageError(off) && off.argument).toBe('params.Stream');
    const notStreaming = await typed()
      .untyped.stream('DescribeThings')
      .catch((e: unknown) => e);
    expect(isUsageError(notStreaming) && notStreaming.argument).toBe('action');
    expect((notStreaming as Error).message).toBe(
      'action: hunyuan DescribeThings does not answer with an event stream: use call()',
    );
    expect([...of('ChatCompletions'), ...of('DescribeThings')]).toHaveLength(0);
  });

  it('on an untyped client, a JSON answer to stream() is an EnvelopeError naming the call', async () => {
    answer = json({ Choices: [], RequestId: 'req-json' });
    const client = createClient({
      service: 'hunyuan',
      version: '2023-09-01',
      region: 'ap-guangzhou',
      endpoint: url,
      credentials,
      retry: false,
    });
    const err = await client.stream('ChatCompletions').catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.reason).toBe('unexpected-content-type');
    expect(err).toMatchObject({
      requestId: 'req-json',
      service: 'hunyuan',
      version: '2023-09-01',
      action: 'ChatCompletions',
      region: 'ap-guangzhou',
    });
  });

  it('return() releases the stream early', async () => {
    answer = sse(['{"n":1}', '{"n":2}', '{"n":3}']);
    const stream = await typed().untyped.stream('ChatCompletions');
    const iterator = stream[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: { n: 1 } });
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
  });
});

describe('isError', () => {
  it('matches an ApiError of this action (and code), not of another action', async () => {
    answer = json({ Error: { Code: 'ResourceNotFound.Thing', Message: 'gone' }, RequestId: 'req-e' });
    const client = typed();
    const err = await client.untyped.call('DeleteThing').catch((e: unknown) => e);
    expect(client.untyped.isError(err, 'DeleteThing')).toBe(true);
    expect(client.untyped.isError(err, 'DeleteThing', 'ResourceNotFound')).toBe(true);
    expect(client.untyped.isError(err, 'DeleteThing', 'InvalidParameter')).toBe(false);
    expect(client.untyped.isError(err, 'OtherThing')).toBe(false);
    expect(client.untyped.isError(new Error('x'), 'DeleteThing')).toBe(false);
    const other = createClient({ service: 'cvm', version: '2017-03-12', endpoint: url, credentials, retry: false });
    expect(other.isError(err, 'DeleteThing')).toBe(false);
  });
});

describe('paginate', () => {
  it('pages with Offset/Limit from the given params and passes per-call options', async () => {
    answer = (_req, res, body) => {
      const { Offset, Limit } = JSON.parse(body) as { Offset: number; Limit: number };
      const items = Array.from({ length: Math.max(0, Math.min(Limit, 5 - Offset)) }, (_, i) => Offset + i);
      json({ TotalCount: 5, Items: items, RequestId: 'r' })(_req, res, body);
    };
    const out: unknown[] = [];
    for await (const item of typed().untyped.paginate(
      'ListThings',
      { Kind: 'k' },
      { items: 'Items', pageSize: 2, region: 'ap-shanghai' },
    ))
      out.push(item);
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(of('ListThings').map((s) => JSON.parse(s.body))).toEqual([
      { Kind: 'k', Offset: 0, Limit: 2 },
      { Kind: 'k', Offset: 2, Limit: 2 },
      { Kind: 'k', Offset: 4, Limit: 2 },
    ]);
  });
});
