import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isApiError, isEnvelopeError, isNetworkError, isTimeoutError, isUsageError } from '@x/errors';
import {
  createTransport,
  fetchSender,
  nodeSender,
  RetryBudget,
  type Sender,
  type TransportOptions,
} from '../src/index.node';
import { envelope, SECRET_ID, SECRET_KEY, startServer, success, type TestServer, caught } from './server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.behave(success);
  server.received.length = 0;
});

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };
const noWait = (_ms: number) => Promise.resolve();

describe.each([
  ['node:http sender', () => nodeSender()],
  ['fetch sender', () => fetchSender()],
])('over real HTTP with the %s', (_name, makeSender) => {
  let sender: Sender & { close?(): void };
  const transport = (extra: Partial<TransportOptions> = {}) =>
    createTransport({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: server.url,
      credentials,
      sender,
      sleep: noWait,
      ...extra,
    });
  beforeAll(() => {
    sender = makeSender();
  });
  afterAll(() => sender.close?.());

  it('POSTs a signed JSON request and returns the Response object', async () => {
    const result = await transport().call('DescribeInstances', { Limit: 1, Big: 18446744073709551615n });
    expect(result).toMatchObject({
      requestId: 'req-1',
      httpStatus: 200,
      attempts: 1,
      retryDelayMs: 0,
      data: { Echo: 'DescribeInstances', RequestId: 'req-1' },
    });
    const [req] = server.received;
    expect(req?.signatureValid).toBe(true);
    expect(req?.body).toBe('{"Limit":1,"Big":18446744073709551615}');
    expect(req?.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(req?.headers['x-tc-requestclient']).toMatch(/^x-transport\//);
    expect(req?.headers.authorization).toMatch(/SignedHeaders=content-type;host;x-tc-action,/);
  });

  it('sends GET with the flattened query, signed', async () => {
    await transport({ method: 'GET' }).call('DescribeInstances', { InstanceIds: ['ins-1'], Limit: 2 });
    expect(server.received[0]).toMatchObject({
      method: 'GET',
      url: '/?InstanceIds.0=ins-1&Limit=2',
      signatureValid: true,
    });
  });

  it('sends the session token of temporary credentials', async () => {
    await transport({ credentials: async () => ({ ...credentials, token: 'session-token-1' }) }).call(
      'DescribeRegions',
    );
    expect(server.received[0]?.headers['x-tc-token']).toBe('session-token-1');
  });

  it('throws the ApiError of an error envelope, not retried when not retryable', async () => {
    server.behave((_req, res, n) =>
      envelope(res, { Error: { Code: 'InvalidParameterValue', Message: 'bad Limit' }, RequestId: `err-${n}` }),
    );
    const err = await caught(transport().call('DescribeInstances', { Limit: -1 }));
    expect(isApiError(err, 'InvalidParameterValue')).toBe(true);
    expect(err).toMatchObject({
      requestId: 'err-1',
      attempts: 1,
      service: 'cvm',
      action: 'DescribeInstances',
      region: 'ap-guangzhou',
    });
    expect(server.received).toHaveLength(1);
  });

  it('retries throttling with backoff, re-signing each attempt, and reports attempts and delay', async () => {
    server.behave((_req, res, n) =>
      n < 3
        ? envelope(res, { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: `t-${n}` })
        : success(_req, res, n),
    );
    const waits: number[] = [];
    const result = await transport({ random: () => 0.5, sleep: async (ms) => void waits.push(ms) }).call(
      'DescribeInstances',
    );
    expect(result).toMatchObject({ attempts: 3, retryDelayMs: 250 + 500 });
    expect(waits).toEqual([250, 500]);
    expect(server.received.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(server.received.map((r) => r.headers['x-tc-traceid'])).size).toBe(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    server.behave((_req, res, n) =>
      envelope(res, { Error: { Code: 'InternalError', Message: 'boom' }, RequestId: `i-${n}` }),
    );
    const err = await caught(transport({ retry: { maxAttempts: 2 } }).call('DescribeInstances'));
    expect(err).toMatchObject({ code: 'InternalError', requestId: 'i-2', attempts: 2 });
  });

  it('stops retrying when the shared budget runs out (a storm is not multiplied)', async () => {
    server.behave((_req, res, n) =>
      envelope(res, { Error: { Code: 'RequestLimitExceeded', Message: 'storm' }, RequestId: `s-${n}` }),
    );
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });
    const t = transport({ budget });
    const first = await caught(t.call('DescribeInstances'));
    expect(first.attempts).toBe(3); // two retries paid
    expect(budget.available).toBe(0);
    const second = await caught(t.call('DescribeInstances'));
    expect(second.attempts).toBe(1); // nothing left: no retry
    expect(server.received).toHaveLength(4);
  });

  it('turns a 502 HTML page into an EnvelopeError; retried only when idempotent', async () => {
    server.behave((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const err = await caught(transport().call('RunInstances'));
    expect(isEnvelopeError(err) && err.httpStatus).toBe(502);
    expect(err.attempts).toBe(1);
    const retried = await caught(transport().call('DescribeInstances', {}, { idempotent: true }));
    expect(retried.attempts).toBe(3);
  });

  it('turns a connection reset into a NetworkError; retries it for a call with a ClientToken', async () => {
    server.behave((_req, res) => void res.socket?.destroy());
    const err = await caught(transport().call('RunInstances'));
    expect(isNetworkError(err) && err.mayHaveReachedServer).toBe(true);
    expect(err.attempts).toBe(1);
    server.received.length = 0;
    const withToken = await caught(transport().call('RunInstances', { ClientToken: 'token-1' }));
    expect(withToken.attempts).toBe(3);
    expect(server.received.map((r) => JSON.parse(r.body).ClientToken)).toEqual(['token-1', 'token-1', 'token-1']);
  });

  it('fills an empty ClientToken when asked, the same on every attempt', async () => {
    server.behave((req, res, n) => (n === 1 ? void res.socket?.destroy() : success(req, res, n)));
    const result = await transport({ autoClientToken: true }).call('RunInstances', { ClientToken: '' });
    expect(result.attempts).toBe(2);
    const tokens = server.received.map((r) => JSON.parse(r.body).ClientToken as string);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('retries a refused connection whatever the action (nothing reached the server)', async () => {
    const closed = await startServer();
    await closed.close(); // a port that was just free: connections are refused
    const t = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: closed.url,
      credentials,
      sender,
      sleep: noWait,
    });
    const err = await caught(t.call('RunInstances'));
    expect(isNetworkError(err) && err.mayHaveReachedServer).toBe(false);
    expect(err.attempts).toBe(3);
  });

  it('times out a slow attempt, and the whole call at its total deadline', async () => {
    server.behave(() => new Promise(() => undefined)); // never answers
    const attempt = await caught(transport({ timeoutMs: 100 }).call('RunInstances'));
    expect(isTimeoutError(attempt) && attempt.scope).toBe('attempt');
    expect(attempt.message).toBe('The attempt timed out after 100 ms (cvm:RunInstances in ap-guangzhou; 1 attempt)');
    const total = await caught(
      transport({
        timeoutMs: 100,
        totalTimeoutMs: 250,
        retry: { maxAttempts: 10, baseDelayMs: 1 },
        sleep: undefined,
      }).call('DescribeInstances', {}, { idempotent: true }),
    );
    expect(isTimeoutError(total) && total.scope).toBe('total');
    expect(total.attempts).toBeGreaterThanOrEqual(2);
  });

  it('reports the total deadline when a late attempt timer ends the call past it (a busy event loop)', async () => {
    server.behave(() => new Promise(() => undefined)); // never answers
    let late = false;
    const clock = Date.now();
    // The injected clock jumps past the total deadline while the first attempt waits: what a
    // timer firing late looks like to the retry decision.
    const now = () => clock + (late ? 60_000 : 0);
    const pending = caught(
      transport({ timeoutMs: 80, totalTimeoutMs: 30_000, now, retry: { maxAttempts: 5, baseDelayMs: 1 } }).call(
        'DescribeInstances',
        {},
        { idempotent: true },
      ),
    );
    setTimeout(() => (late = true), 40);
    const err = await pending;
    expect(isTimeoutError(err) && err.scope).toBe('total');
    expect(isTimeoutError(err) && isTimeoutError(err.cause) && err.cause.scope).toBe('attempt');
  });

  it('times out an attempt whose body stalls half-way', async () => {
    server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"Response":{'); // and nothing more
    });
    const err = await caught(transport({ timeoutMs: 150 }).call('RunInstances'));
    expect(isTimeoutError(err) && err.scope).toBe('attempt');
  });

  it('rethrows the user abort reason unchanged, at once', async () => {
    server.behave(() => new Promise(() => undefined));
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    const pending = transport().call('DescribeInstances', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    expect(await caught(pending)).toBe(reason);
    const already = AbortSignal.abort('gone');
    await expect(transport().call('DescribeInstances', {}, { signal: already })).rejects.toBe('gone');
  });

  it('recovers from a skewed clock on SignatureExpire using the server Date, and keeps the offset', async () => {
    const serverNow = Date.now();
    server.behave((req, res, n) => {
      const skew = Math.abs(Number(req.headers['x-tc-timestamp']) * 1000 - serverNow);
      if (skew > 300_000) {
        envelope(
          res,
          { Error: { Code: 'AuthFailure.SignatureExpire', Message: 'expired' }, RequestId: `e-${n}` },
          { date: new Date(serverNow).toUTCString() },
        );
      } else success(req, res, n);
    });
    const t = transport({ now: () => serverNow - 3_600_000 }); // an hour slow
    const result = await t.call('DescribeInstances');
    expect(result.attempts).toBe(2);
    // The Date header has whole seconds.
    expect(Math.abs(t.clockOffsetMs / 1000 - 3600)).toBeLessThanOrEqual(1);
    expect((await t.call('DescribeInstances')).attempts).toBe(1);
  });

  it('streams SSE events; errors before the stream throw first', async () => {
    server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tc-requestid': 'stream-1' });
      res.write('data: {"Choices":[{"Delta":{"Content":"你"}}]}\n\n');
      res.end('data: {"Choices":[{"FinishReason":"stop","Delta":{"Content":"好"}}]}\n\n');
    });
    const stream = await transport({ service: 'hunyuan', version: '2023-09-01' }).stream<{
      Choices: { Delta: { Content: string } }[];
    }>('ChatCompletions', { Stream: true });
    expect(stream.requestId).toBe('stream-1');
    let text = '';
    for await (const event of stream.events) text += event.data.Choices[0]?.Delta.Content;
    expect(text).toBe('你好');
    server.behave((_req, res) =>
      envelope(res, { Error: { Code: 'AuthFailure.SecretIdNotFound', Message: 'no' }, RequestId: 'pre-1' }),
    );
    const err = await caught(
      transport({ service: 'hunyuan', version: '2023-09-01' }).stream('ChatCompletions', { Stream: true }),
    );
    expect(isApiError(err, 'AuthFailure') && err.requestId).toBe('pre-1');
  });

  it('lets the caller abort a running stream, rethrowing the caller reason', async () => {
    server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tc-requestid': 'stream-2' });
      res.write('data: {"n":1}\n\n'); // and then nothing more, ever
    });
    const controller = new AbortController();
    const stream = await transport({ service: 'hunyuan', version: '2023-09-01' }).stream<{ n: number }>(
      'ChatCompletions',
      { Stream: true },
      { signal: controller.signal },
    );
    const reason = new Error('user closed the chat');
    const seen: number[] = [];
    const err = await caught(
      (async () => {
        for await (const event of stream.events) {
          seen.push(event.data.n);
          setTimeout(() => controller.abort(reason), 10);
        }
      })(),
    );
    expect(seen).toEqual([1]);
    expect(err).toBe(reason);
  });

  it('runs middleware in array order around the call', async () => {
    const order: string[] = [];
    const t = transport({
      middleware: [
        (next) => async (call, ctx) => {
          order.push(`outer ${ctx.action}`);
          const r = await next(call, ctx);
          order.push('outer done');
          return r;
        },
        (next) => async (call, ctx) => {
          order.push('inner');
          return next({ ...call, options: { ...call.options, headers: { 'X-Custom': 'yes' } } }, ctx);
        },
      ],
    });
    await t.call('DescribeRegions');
    expect(order).toEqual(['outer DescribeRegions', 'inner', 'outer done']);
    expect(server.received[0]?.headers['x-custom']).toBe('yes');
  });

  it('logs redacted lines: no Authorization, token or SecretKey ever', async () => {
    const lines: string[] = [];
    const logger = { debug: (l: string) => void lines.push(l), warn: (l: string) => void lines.push(l) };
    server.behave((req, res, n) =>
      n === 1
        ? envelope(res, { Error: { Code: 'InternalError', Message: `echo ${SECRET_KEY}` }, RequestId: 'x' })
        : success(req, res, n),
    );
    await transport({ logger, credentials: { ...credentials, token: 'session-token-secret' } }).call('RunInstances', {
      LoginSettings: { Password: 'hunter2-password' },
    });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const all = lines.join('\n');
    expect(all).toContain('"Authorization":"[REDACTED]"');
    expect(all).toContain('"X-TC-Token":"[REDACTED]"');
    for (const secret of [SECRET_KEY, 'session-token-secret', 'hunter2-password', 'Signature='])
      expect(all).not.toContain(secret);
  });

  it('refuses bad input before sending anything', async () => {
    const err = await caught(transport().call('DescribeInstances', { Filters: [undefined] }));
    expect(isUsageError(err) && err.argument).toBe('params.Filters[0]');
    expect(isUsageError(await caught(transport({ language: 'fr' as 'en-US' }).call('DescribeInstances')))).toBe(true);
    expect(isUsageError(await caught(transport({ timeoutMs: 0 }).call('DescribeInstances')))).toBe(true);
    expect(isUsageError(await caught(transport({ totalTimeoutMs: 2 ** 31 }).call('DescribeInstances')))).toBe(true);
    expect(
      isUsageError(
        await caught(transport({ credentials: { secretId: '', secretKey: 'x' } }).call('DescribeInstances')),
      ),
    ).toBe(true);
    expect(server.received).toHaveLength(0);
  });
});

describe('the node:http sender', () => {
  it('keeps connections alive across calls', async () => {
    const sender = nodeSender();
    const t = createTransport({ service: 'cvm', version: '2017-03-12', endpoint: server.url, credentials, sender });
    const before = server.connections();
    for (let i = 0; i < 20; i++) await t.call('DescribeInstances');
    expect(server.connections() - before).toBe(1);
    t.close();
  });
});
