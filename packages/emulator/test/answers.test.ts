import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiFailure } from '../src/api-failure';
import { startEmulator, type Emulator, type HandlerContext } from '../src/index';
import { gatewayPage } from '../src/reply';
import { raw } from './helpers';

// What goes back on the wire (reply, call-handler, handle, play-faults): headers, envelopes, bodies
// cut or dropped by faults, streams, and what a handler's answer becomes. The demo actions are
// unsigned (`Authorization: SKIP`), so each exchange is one raw request.
const START = Date.UTC(2026, 5, 15, 12, 0, 0);
let clock = START;
let emulator: Emulator;
let cors: Emulator;

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ Index: i, Text: `event number ${i}` }));

beforeAll(async () => {
  const handlers = {
    demo: {
      Echo: (params: Record<string, unknown>, ctx: HandlerContext) => ({
        Params: params,
        Ctx: {
          service: ctx.service,
          version: ctx.version,
          action: ctx.action,
          region: ctx.region ?? null,
          language: ctx.language,
          requestId: ctx.requestId,
          secretId: ctx.secretId ?? null,
          now: ctx.now(),
        },
      }),
      Big: () => ({ Big: 2n ** 63n, Neg: -5n, Small: 1 }),
      Array: () => [1] as unknown as Record<string, unknown>,
      Text: () => 'hello' as unknown as Record<string, unknown>,
      Number: () => 5 as unknown as Record<string, unknown>,
      Null: () => null as unknown as Record<string, unknown>,
      Bug: () => {
        throw new TypeError('oops');
      },
      Coded: () => {
        throw { code: 'Widgets.Gone' };
      },
      Failure: () => {
        throw new ApiFailure('LimitExceeded.Widget', 'Too many widgets.');
      },
      Unserializable: () => ({
        get Boom(): never {
          throw new Error('cannot serialize');
        },
      }),
      Stream: (_p: unknown, ctx: HandlerContext) => ctx.stream(events(3)),
      NotIterable: (_p: unknown, ctx: HandlerContext) => ctx.stream(5 as unknown as Iterable<unknown>),
      FailingStream: (_p: unknown, ctx: HandlerContext) =>
        ctx.stream(
          (async function* () {
            yield { Index: 0 };
            throw { code: 'InternalError.Model' };
          })(),
        ),
      BuggyStream: (_p: unknown, ctx: HandlerContext) =>
        ctx.stream(
          (async function* () {
            yield { Index: 0 };
            throw new TypeError('bug');
          })(),
        ),
      UnserializableStream: (_p: unknown, ctx: HandlerContext) => ctx.stream([{ Index: 0 }, { toJSON: () => 1n }]),
    },
  };
  const actions = Object.keys(handlers.demo);
  emulator = await startEmulator({
    now: () => clock,
    recordLimit: 3,
    handlers: handlers as never,
    services: { demo: { unsignedActions: actions } },
  });
  cors = await startEmulator({
    cors: { origin: 'https://app.example' },
    handlers: handlers as never,
    services: { demo: { unsignedActions: actions } },
  });
});
afterAll(async () => {
  await emulator.close();
  await cors.close();
});
beforeEach(() => {
  clock = START;
  emulator.faults.clear();
});

const headersFor = (action: string, extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/json',
  'X-TC-Action': action,
  'X-TC-Version': '2020-01-01',
  Authorization: 'SKIP',
  ...extra,
});
const call = (action: string, extra: Record<string, string> = {}, on: Emulator = emulator) =>
  raw(on.url, { headers: headersFor(action, extra), body: '{}' });
const envelope = (body: string) => (JSON.parse(body) as { Response: Record<string, unknown> }).Response;

/** The raw bytes of one exchange, read until the server closes: for answers cut short. */
function exchange(action: string): Promise<{ head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(emulator.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {}); // a reset is what some tests expect
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      resolve({ head: all.subarray(0, end).toString('latin1'), body: all.subarray(end + 4) });
    });
    socket.setTimeout(5000, () => reject(new Error('no close within 5 s')));
    const head = Object.entries({ ...headersFor(action), 'Content-Length': '2', Connection: 'close' })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.end(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n\r\n{}`);
  });
}

describe('headers every answer carries', () => {
  it('Date from the emulator clock, the trace id back when it is one, no CORS headers unless asked', async () => {
    const res = await call('Echo', { 'X-TC-TraceId': `a.b:c-d_${'e'.repeat(120)}` });
    expect(res.headers['date']).toBe(new Date(START).toUTCString());
    expect(res.headers['x-tc-traceid']).toBe(`a.b:c-d_${'e'.repeat(120)}`);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    for (const traceId of ['e'.repeat(129), 'a b', 'a/b', 'x\u00e9']) {
      const other = await call('Echo', { 'X-TC-TraceId': encodeURI(traceId) === traceId ? traceId : 'a%b' });
      expect([traceId, other.headers['x-tc-traceid']]).toEqual([traceId, undefined]);
    }
    expect((await call('Echo', { 'X-TC-TraceId': 'x' })).headers['x-tc-traceid']).toBe('x');
  });

  it('CORS for one origin: exposed headers, Vary, and preflights answered without being recorded', async () => {
    const res = await call('Echo', {}, cors);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-expose-headers']).toBe('X-TC-RequestId, X-TC-TraceId, Date');
    expect(res.headers['vary']).toBe('Origin');
    const before = cors.requests.length;
    const preflight = await raw(cors.url, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.body).toBe('');
    expect(preflight.headers).toMatchObject({
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers':
        'Authorization, Content-Type, X-TC-Action, X-TC-Version, X-TC-Timestamp, X-TC-Region, X-TC-Token, X-TC-Language, X-TC-RequestClient, X-TC-TraceId, X-TC-Content-SHA256',
      'access-control-max-age': '600',
      'access-control-allow-origin': 'https://app.example',
    });
    expect(cors.requests.length).toBe(before);
    // Without CORS, OPTIONS is a method like PUT: refused, and recorded.
    const refused = await raw(emulator.url, { method: 'OPTIONS' });
    expect(envelope(refused.body)['Error']).toMatchObject({ Code: 'UnsupportedProtocol' });
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'OPTIONS', errorCode: 'UnsupportedProtocol' });
  });
});

describe('what a handler answer becomes', () => {
  it('the result with the RequestId, as JSON of the exact length; the context the handler saw', async () => {
    const res = await call('Echo', { 'X-TC-Region': 'ap-1', 'X-TC-Language': 'zh-CN' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    const response = envelope(res.body);
    expect(response).toEqual({
      Params: {},
      Ctx: {
        service: 'demo',
        version: '2020-01-01',
        action: 'Echo',
        region: 'ap-1',
        language: 'zh-CN',
        requestId: response['RequestId'],
        secretId: null,
        now: START,
      },
      RequestId: emulator.requests.at(-1)!.requestId,
    });
    emulator.faults.add({ fault: { kind: 'clock-offset', ms: 5000 }, service: 'demo', action: 'Echo' });
    expect((envelope((await call('Echo')).body)['Ctx'] as { now: number }).now).toBe(START + 5000);
  });

  it('bigint values as exact integers', async () => {
    const res = await call('Big');
    expect(res.body).toContain('"Big":9223372036854775808,"Neg":-5,"Small":1');
  });

  it('an answer that is not an object is an InternalError naming what it was', async () => {
    const error = async (action: string, language = 'en-US') =>
      envelope((await call(action, { 'X-TC-Language': language })).body)['Error'];
    expect(await error('Array')).toEqual({
      Code: 'InternalError',
      Message: 'The handler of Array answered an array, not an object.',
    });
    expect(await error('Array', 'zh-CN')).toEqual({
      Code: 'InternalError',
      Message: '接口 Array 的处理函数返回了 array，而不是对象。',
    });
    expect(await error('Text')).toEqual({
      Code: 'InternalError',
      Message: 'The handler of Text answered string, not an object.',
    });
    expect(await error('Number', 'zh-CN')).toEqual({
      Code: 'InternalError',
      Message: '接口 Number 的处理函数返回了 number，而不是对象。',
    });
    const nothing = envelope((await call('Null')).body);
    expect(Object.keys(nothing)).toEqual(['RequestId']);
  });

  it('a thrown code is that error (its catalog text, or the code); anything else a generic InternalError', async () => {
    const error = async (action: string, language = 'en-US') =>
      envelope((await call(action, { 'X-TC-Language': language })).body)['Error'];
    expect(await error('Bug')).toEqual({ Code: 'InternalError', Message: 'The handler failed.' });
    expect(await error('Bug', 'zh-CN')).toEqual({ Code: 'InternalError', Message: '内部错误。' });
    expect(await error('Coded')).toEqual({ Code: 'Widgets.Gone', Message: 'Widgets.Gone' });
    expect(await error('Failure')).toEqual({ Code: 'LimitExceeded.Widget', Message: 'Too many widgets.' });
    expect(emulator.requests.at(-1)!.errorCode).toBe('LimitExceeded.Widget');
    expect(await error('NotIterable')).toMatchObject({ Code: expect.any(String) });
  });

  it("an answer that cannot be written is the server's failure: HTTP 500 with no envelope", async () => {
    const res = await call('Unserializable');
    expect(res.status).toBe(500);
    expect(res.body).toBe('');
  });
});

describe('streams', () => {
  const data = (body: string) =>
    body
      .split('\n\n')
      .filter((e) => e !== '')
      .map((e) => JSON.parse(e.replace(/^data: /, '')) as unknown);

  it('one data line per event, with the RequestId header', async () => {
    const res = await call('Stream');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-tc-requestid']).toBe(emulator.requests.at(-1)!.requestId);
    expect(res.body).toBe(
      events(3)
        .map((e) => `data: ${JSON.stringify(e)}\n\n`)
        .join(''),
    );
  });

  it('a coded failure mid-stream is a last ErrorMsg event; any other failure drops the connection', async () => {
    const res = await call('FailingStream');
    const [first, last] = data(res.body);
    expect(first).toEqual({ Index: 0 });
    expect(last).toEqual({
      Id: res.headers['x-tc-requestid'],
      ErrorMsg: { Code: 'InternalError.Model', Msg: 'InternalError.Model' },
    });
    const buggy = await exchange('BuggyStream');
    expect(buggy.head).toMatch(/^HTTP\/1\.1 200/);
    expect(buggy.body.toString()).toContain('data: {"Index":0}\n\n');
    expect(buggy.body.toString()).not.toContain('ErrorMsg');
    expect(buggy.body.toString()).not.toMatch(/\r\n0\r\n\r\n$/); // not a clean end of the chunked body
    const unserializable = await exchange('UnserializableStream');
    expect(unserializable.body.toString()).not.toMatch(/\r\n0\r\n\r\n$/);
  });

  it('truncation: by default half-way through the second event, else after the given bytes, ending cleanly', async () => {
    const chunks = events(3).map((e) => `data: ${JSON.stringify(e)}\n\n`);
    emulator.faults.add({ fault: { kind: 'truncate' }, action: 'Stream', times: 1 });
    const cut = await call('Stream');
    expect(cut.body).toBe(chunks[0]! + chunks[1]!.slice(0, Math.floor(chunks[1]!.length / 2)));
    emulator.faults.add({ fault: { kind: 'truncate', bytes: 10 }, action: 'Stream', times: 1 });
    expect((await call('Stream')).body).toBe(chunks[0]!.slice(0, 10));
    const at = chunks[0]!.length + 3;
    emulator.faults.add({ fault: { kind: 'truncate', bytes: at }, action: 'Stream', times: 1 });
    expect((await call('Stream')).body).toBe(chunks.join('').slice(0, at));
    emulator.faults.add({ fault: { kind: 'truncate', bytes: 0 }, action: 'Stream', times: 1 });
    expect((await call('Stream')).body).toBe('');
    emulator.faults.add({ fault: { kind: 'truncate', bytes: 100_000 }, action: 'Stream', times: 1 });
    expect((await call('Stream')).body).toBe(chunks.join(''));
  });

  it('a mid-body reset drops the connection after the first event', async () => {
    emulator.faults.add({ fault: { kind: 'reset', when: 'mid-body' }, action: 'Stream', times: 1 });
    const { head, body } = await exchange('Stream');
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    const text = body.toString();
    expect(text).toContain(`data: ${JSON.stringify(events(1)[0])}\n\n`);
    expect(text).not.toContain('"Index":1');
  });
});

describe('faults on JSON answers', () => {
  it('truncate sends half the body by default, or the given bytes, with a matching Content-Length', async () => {
    const whole = await call('Big');
    emulator.faults.add({ fault: { kind: 'truncate' }, action: 'Big', times: 1 });
    const half = await call('Big');
    // The RequestId differs between calls, but not its length.
    expect(half.body.length).toBe(Math.floor(whole.body.length / 2));
    expect(half.headers['content-length']).toBe(String(half.body.length));
    expect(whole.body.startsWith(half.body.slice(0, 20))).toBe(true);
    emulator.faults.add({ fault: { kind: 'truncate', bytes: 7 }, action: 'Big', times: 1 });
    expect((await call('Big')).body).toBe('{"Respo');
  });

  it('a mid-body reset sends half the declared body, then drops the connection', async () => {
    emulator.faults.add({ fault: { kind: 'reset', when: 'mid-body' }, action: 'Big', times: 1 });
    const { head, body } = await exchange('Big');
    const declared = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    expect(declared).toBeGreaterThan(50);
    expect(body.length).toBe(Math.floor(declared / 2));
    expect(emulator.requests.at(-1)!.errorCode).toBeUndefined();
  });

  it('a reset before the response sends nothing and is recorded as such', async () => {
    emulator.faults.add({ fault: { kind: 'reset', when: 'before-response' }, action: 'Big', times: 1 });
    const { head, body } = await exchange('Big');
    expect(head).toBe('');
    expect(body.length).toBe(0);
    expect(emulator.requests.at(-1)!.errorCode).toBe('(connection reset)');
  });

  it('a gateway error is an HTML page, 502 unless told, recorded by its status', async () => {
    emulator.faults.add({ fault: { kind: 'gateway-error' }, action: 'Big', times: 1 });
    const page = await call('Big');
    expect(page.status).toBe(502);
    expect(page.headers['content-type']).toBe('text/html');
    expect(page.body).toBe(gatewayPage(502));
    expect(emulator.requests.at(-1)!.errorCode).toBe('(HTTP 502)');
    emulator.faults.add({ fault: { kind: 'gateway-error', status: 504 }, action: 'Big', times: 1 });
    expect((await call('Big')).status).toBe(504);
    expect(emulator.requests.at(-1)!.errorCode).toBe('(HTTP 504)');
  });

  it('throttle answers RequestLimitExceeded or its own code; an error fault its message; later faults wait their turn', async () => {
    emulator.faults.add({ fault: { kind: 'throttle' }, action: 'Big', times: 1 });
    expect(envelope((await call('Big')).body)['Error']).toMatchObject({ Code: 'RequestLimitExceeded' });
    emulator.faults.add({ fault: { kind: 'throttle', code: 'LimitExceeded.Mine' }, action: 'Big', times: 1 });
    expect(envelope((await call('Big')).body)['Error']).toMatchObject({ Code: 'LimitExceeded.Mine' });
    emulator.faults.add({
      fault: { kind: 'error', code: 'Oops.Mine', message: 'mine' },
      service: 'demo',
      action: 'Big',
      times: 1,
    });
    expect(envelope((await call('Big')).body)['Error']).toEqual({ Code: 'Oops.Mine', Message: 'mine' });
    emulator.faults.set([
      { fault: { kind: 'latency', ms: 1 }, action: 'Big', times: 1 },
      { fault: { kind: 'gateway-error', status: 503 }, action: 'Big', times: 1 },
    ]);
    expect((await call('Big')).status).toBe(503);
    expect((await call('Big')).status).toBe(200);
  });
});

describe('the HTML page of a broken gateway', () => {
  it('names the status and its reason, as stgw does', () => {
    expect(gatewayPage(502)).toBe(
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n',
    );
    expect(gatewayPage(599)).toContain('<title>599 Error</title>');
  });
});

describe('recorded requests', () => {
  it('keep the last recordLimit, each with its method, time and redacted headers', async () => {
    clock = START + 1;
    await call('Echo', { 'X-TC-Token': 'secret-token' });
    clock = START + 2;
    await call('Big');
    clock = START + 3;
    await call('Null');
    clock = START + 4;
    await call('Text');
    expect(emulator.requests.map((r) => [r.action, r.time])).toEqual([
      ['Big', START + 2],
      ['Null', START + 3],
      ['Text', START + 4],
    ]);
    expect(emulator.requests[0]).toMatchObject({ method: 'POST', service: 'demo', signatureMethod: 'SKIP' });
    await call('Echo', { 'X-TC-Token': 'secret-token' });
    expect(emulator.requests.at(-1)!.headers['x-tc-token']).toBe('[REDACTED]');
    expect(emulator.requests.at(-1)!.headers['authorization']).toBe('[REDACTED]');
  });
});
