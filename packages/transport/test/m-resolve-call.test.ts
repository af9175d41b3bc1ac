// One call's options resolved against its transport's: which wins, what the defaults are, and
// what is refused. Unit level (resolveCall, decodeSettings, the decode helpers) so that each rule
// is pinned by what it returns.
import { EnvelopeError, type CallContext } from '@x/errors';
import { describe, expect, it } from 'vitest';
import type { CallRequest } from '../src/call';
import { decodeSettings, eventsOf, isEventStream, readAnswer, withField } from '../src/decode';
import { resolveEndpoint } from '../src/endpoint';
import type { CallOptions, TransportOptions } from '../src/options';
import { resolveCall, type TransportSettings } from '../src/resolve-call';
import { DEFAULT_RETRY, resolveRetry } from '../src/retry';
import { usage } from './usage';

const base: TransportOptions = { service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou' };

function settingsOf(
  options: Partial<TransportOptions> = {},
  idempotent: TransportSettings['idempotent'] = () => false,
): TransportSettings {
  const all = { ...base, ...options };
  return { options: all, endpoint: resolveEndpoint(all), retry: resolveRetry(all.retry), idempotent };
}

function request(params?: unknown, options: CallOptions = {}, action = 'RunInstances'): CallRequest {
  return { kind: 'call', action, params: params as Record<string, unknown>, options };
}

function contextOf(region: string | undefined = 'ap-guangzhou', action = 'RunInstances'): CallContext {
  return { service: 'cvm', version: '2017-03-12', action, region };
}

describe('resolveCall: params', () => {
  it('no params are an empty object', () => {
    expect(resolveCall(settingsOf(), request(undefined), contextOf()).params).toEqual({});
  });

  it.each([
    ['null', null],
    ['an array', [1]],
    ['a string', 'Limit=1'],
  ])('refuses %s as params', (_name, params) => {
    const err = usage(() => resolveCall(settingsOf(), request(params), contextOf()));
    expect(err.argument).toBe('params');
    expect(err.message).toBe('params: must be an object of request parameters');
  });

  it('autoClientToken fills an empty or undefined ClientToken with a UUID, without touching the caller’s object', () => {
    const settings = settingsOf({ autoClientToken: true });
    for (const token of ['', undefined]) {
      const given = { ClientToken: token, Limit: 1 };
      const { params, idempotent } = resolveCall(settings, request(given), contextOf());
      expect(params['ClientToken']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(params['Limit']).toBe(1);
      expect(given.ClientToken).toBe(token);
      expect(idempotent).toBe(true);
    }
  });

  it('autoClientToken leaves a given token, and adds none where the action has no ClientToken', () => {
    const settings = settingsOf({ autoClientToken: true });
    const given = { ClientToken: 'mine' };
    expect(resolveCall(settings, request(given), contextOf()).params).toBe(given);
    const none = { Limit: 1 };
    expect(resolveCall(settings, request(none), contextOf()).params).toBe(none);
  });

  it('without autoClientToken an empty ClientToken stays empty (and does not make the call idempotent)', () => {
    const given = { ClientToken: '' };
    const resolved = resolveCall(settingsOf(), request(given), contextOf());
    expect(resolved.params).toBe(given);
    expect(resolved.idempotent).toBe(false);
  });
});

describe('resolveCall: endpoint, timeouts, retry', () => {
  it('a call in the transport’s region without an endpoint reuses the transport’s endpoint', () => {
    const settings = settingsOf();
    expect(resolveCall(settings, request(), contextOf()).endpoint).toBe(settings.endpoint);
  });

  it('another region or a call endpoint resolves its own', () => {
    const settings = settingsOf();
    const other = resolveCall(settings, request(), contextOf('ap-shanghai')).endpoint;
    expect(other).toEqual(resolveEndpoint({ ...base, region: 'ap-shanghai' }));
    const own = resolveCall(settings, request(undefined, { endpoint: 'http://127.0.0.1:9' }), contextOf()).endpoint;
    expect(own.origin).toBe('http://127.0.0.1:9');
    const inherited = resolveCall(settingsOf({ endpoint: 'http://127.0.0.1:8' }), request(), contextOf('ap-shanghai'));
    expect(inherited.endpoint.origin).toBe('http://127.0.0.1:8');
  });

  it('timeouts: the call’s, else the transport’s, else 30 s and 90 s', () => {
    expect(resolveCall(settingsOf(), request(), contextOf())).toMatchObject({ attemptMs: 30_000, totalMs: 90_000 });
    const transport = settingsOf({ timeoutMs: 5, totalTimeoutMs: 50 });
    expect(resolveCall(transport, request(), contextOf())).toMatchObject({ attemptMs: 5, totalMs: 50 });
    const call = request(undefined, { timeoutMs: 7, totalTimeoutMs: 70 });
    expect(resolveCall(transport, call, contextOf())).toMatchObject({ attemptMs: 7, totalMs: 70 });
  });

  it('a bad timeout names its option', () => {
    expect(usage(() => resolveCall(settingsOf(), request(undefined, { timeoutMs: 0 }), contextOf())).argument).toBe(
      'timeoutMs',
    );
    const total = usage(() => resolveCall(settingsOf({ totalTimeoutMs: -1 }), request(), contextOf()));
    expect(total.argument).toBe('totalTimeoutMs');
  });

  it('retry: the transport’s settled object, or the call’s own resolved', () => {
    const settings = settingsOf({ retry: { maxAttempts: 5 } });
    expect(resolveCall(settings, request(), contextOf()).retry).toBe(settings.retry);
    expect(resolveCall(settings, request(undefined, { retry: false }), contextOf()).retry).toEqual({
      ...DEFAULT_RETRY,
      maxAttempts: 1,
    });
    expect(resolveCall(settings, request(undefined, { retry: { baseDelayMs: 1 } }), contextOf()).retry).toEqual({
      ...DEFAULT_RETRY,
      baseDelayMs: 1,
    });
  });
});

describe('resolveCall: idempotent, auth, method, headers, language', () => {
  it('idempotent: the call says, else a non-empty ClientToken, else the transport’s rule on action and params', () => {
    const asked: [string, unknown][] = [];
    const rule = (action: string, params: Readonly<Record<string, unknown>>) => {
      asked.push([action, params]);
      return action.startsWith('Describe');
    };
    const settings = settingsOf({}, rule);
    expect(resolveCall(settings, request({ ClientToken: 't' }, { idempotent: false }), contextOf()).idempotent).toBe(
      false,
    );
    expect(resolveCall(settings, request({}, { idempotent: true }), contextOf()).idempotent).toBe(true);
    expect(resolveCall(settings, request({ ClientToken: 't' }), contextOf()).idempotent).toBe(true);
    expect(asked).toEqual([]);
    const params = { ClientToken: 5 };
    expect(resolveCall(settings, request(params), contextOf()).idempotent).toBe(false);
    expect(asked).toEqual([['RunInstances', params]]);
    expect(resolveCall(settings, request({ ClientToken: '' }, {}, 'DescribeZones'), contextOf()).idempotent).toBe(true);
  });

  it('auth: the call’s, else the transport’s, else tc3', () => {
    expect(resolveCall(settingsOf(), request(), contextOf()).auth).toBe('tc3');
    expect(resolveCall(settingsOf({ auth: 'skip' }), request(), contextOf()).auth).toBe('skip');
    expect(resolveCall(settingsOf({ auth: 'skip' }), request(undefined, { auth: 'tc3' }), contextOf()).auth).toBe(
      'tc3',
    );
  });

  it('method: the call’s, else the transport’s, else none chosen here', () => {
    expect(resolveCall(settingsOf(), request(), contextOf()).method).toBeUndefined();
    expect(resolveCall(settingsOf({ method: 'GET' }), request(), contextOf()).method).toBe('GET');
    expect(resolveCall(settingsOf({ method: 'GET' }), request(undefined, { method: 'POST' }), contextOf()).method).toBe(
      'POST',
    );
  });

  it('headers: the transport’s object as is, or merged with the call’s (the call wins)', () => {
    const headers = { 'X-A': '1', 'X-B': '2' };
    const settings = settingsOf({ headers });
    expect(resolveCall(settings, request(), contextOf()).headers).toBe(headers);
    const merged = resolveCall(settings, request(undefined, { headers: { 'X-B': 'call', 'X-C': '3' } }), contextOf());
    expect(merged.headers).toEqual({ 'X-A': '1', 'X-B': 'call', 'X-C': '3' });
    expect(headers).toEqual({ 'X-A': '1', 'X-B': '2' });
    expect(resolveCall(settingsOf(), request(undefined, { headers: { 'X-C': '3' } }), contextOf()).headers).toEqual({
      'X-C': '3',
    });
  });

  it('language: the call’s, else the transport’s; the decode settings follow, a locale winning', () => {
    expect(resolveCall(settingsOf(), request(), contextOf()).language).toBeUndefined();
    const settings = settingsOf({ language: 'zh-CN' });
    const fromTransport = resolveCall(settings, request(), contextOf());
    expect(fromTransport.language).toBe('zh-CN');
    expect(fromTransport.decode.language).toBe('zh-CN');
    const fromCall = resolveCall(settings, request(undefined, { language: 'en-US' }), contextOf());
    expect(fromCall.language).toBe('en-US');
    expect(fromCall.decode.language).toBe('en-US');
    const locale = resolveCall(settingsOf({ locale: 'zh-CN' }), request(undefined, { language: 'en-US' }), contextOf());
    expect(locale.decode.language).toBe('zh-CN');
  });

  it('keeps the request, context and signal it was given', () => {
    const req = request();
    const context = contextOf();
    const signal = new AbortController().signal;
    const withSignal = { ...req, options: { signal } };
    expect(resolveCall(settingsOf(), req, context)).toMatchObject({ request: req, context, signal: undefined });
    expect(resolveCall(settingsOf(), withSignal, context).signal).toBe(signal);
  });
});

describe('decode helpers', () => {
  const context = contextOf();
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

  it('decodeSettings copies the transport’s reading options', () => {
    const catalogs = [{ service: 'cvm', codes: {} }] as unknown as TransportOptions['catalogs'];
    const options = { ...base, catalogs, integers: 'bigint', maxResponseBytes: 10, maxEventBytes: 20 } as const;
    expect(decodeSettings(options, context, 'en-US')).toEqual({
      context,
      catalogs,
      language: 'en-US',
      integers: 'bigint',
      maxBytes: 10,
      maxEventBytes: 20,
    });
  });

  it('isEventStream reads the content type, case and leading blanks aside', () => {
    const is = (type?: string) =>
      isEventStream({ status: 200, headers: headers(type === undefined ? {} : { 'content-type': type }), body: null });
    expect(is('text/event-stream')).toBe(true);
    expect(is('  Text/Event-Stream; charset=utf-8')).toBe(true);
    expect(is('application/json')).toBe(false);
    expect(is('application/x text/event-stream')).toBe(false);
    expect(is(undefined)).toBe(false);
  });

  it('readAnswer reads with the signal when one is given, and without', async () => {
    const body = () => [new TextEncoder().encode('{"Response":{"RequestId":"r-1"}}')];
    const response = () => ({ status: 200, headers: headers({ 'content-type': 'application/json' }), body: body() });
    const settings = decodeSettings(base, context, undefined);
    await expect(readAnswer(response(), settings, undefined)).resolves.toMatchObject({ ok: true, requestId: 'r-1' });
    const reason = new Error('aborted');
    const aborted = AbortSignal.abort(reason);
    await expect(readAnswer(response(), settings, aborted)).rejects.toBe(reason);
  });

  it('eventsOf: no body is no events; a mid-stream error carries the header RequestId; the event cap holds', async () => {
    const settings = decodeSettings({ ...base, maxEventBytes: 64 }, context, undefined);
    const none = eventsOf({ status: 200, headers: headers({}), body: null }, settings, undefined);
    const seen: unknown[] = [];
    for await (const event of none) seen.push(event);
    expect(seen).toEqual([]);

    const failing = new TextEncoder().encode(
      'data: {"ok":1}\n\nevent: error\ndata: {"Response":{"Error":{"Code":"InternalError","Message":"x"}}}\n\n',
    );
    const events = eventsOf(
      { status: 200, headers: headers({ 'x-tc-requestid': 'stream-7' }), body: [failing] },
      decodeSettings(base, context, undefined),
      undefined,
    );
    const first = await events.next();
    expect(first.value).toMatchObject({ data: { ok: 1 } });
    await expect(events.next()).rejects.toMatchObject({ code: 'InternalError', requestId: 'stream-7' });

    const big = new TextEncoder().encode(`data: ${'x'.repeat(200)}\n\n`);
    const capped = eventsOf({ status: 200, headers: headers({}), body: [big] }, settings, undefined);
    const err = await capped.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EnvelopeError);
    expect((err as EnvelopeError).reason).toBe('body-too-large');

    // The caller's signal reaches the stream parser: aborted, the iteration throws its reason.
    const reason = new Error('the caller left');
    const stopped = eventsOf(
      { status: 200, headers: headers({}), body: [failing] },
      settings,
      AbortSignal.abort(reason),
    );
    await expect(stopped.next()).rejects.toBe(reason);
  });

  it('withField copies, leaving the original as it was', () => {
    const original = { a: 1 };
    const copy = withField(original, 'b', 2);
    expect(copy).toEqual({ a: 1, b: 2 });
    expect(original).toEqual({ a: 1 });
  });
});
