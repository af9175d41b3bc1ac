import { describe, expect, it } from 'vitest';
import { isUsageError, type CallContext } from '@x/errors';
import { readEnvelope, unwrap } from '@x/envelope';
import {
  buildRequest,
  fetchSender,
  resolveEndpoint,
  signRequest,
  type CallKind,
  type Middleware,
} from '../src/index.node';
import * as universal from '../src/index';
import { caught, envelope } from './server';
import { credentials, useServer } from './harness';

const harness = useServer({ service: 'hunyuan', version: '2023-09-01' });
const { transport } = harness;

const streaming = () =>
  harness.server.behave((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tc-requestid': 'stream-1' });
    res.end('data: {"n":1}\n\ndata: {"n":2}\n\n');
  });

describe('middleware', () => {
  it('wraps stream() as it wraps call(), told which kind each request is', async () => {
    const seen: { kind: CallKind; action: string; requestId: string }[] = [];
    const record: Middleware = (next) => async (request, context) => {
      const result = await next(request, context);
      seen.push({ kind: request.kind, action: context.action ?? '', requestId: result.requestId });
      return result;
    };
    const t = transport({ middleware: [record] });
    await t.call('GetEmbedding', {});
    streaming();
    const stream = await t.stream<{ n: number }>('ChatCompletions', { Stream: true });
    const ns: number[] = [];
    for await (const event of stream.events) ns.push(event.data.n);
    expect(ns).toEqual([1, 2]);
    expect(seen).toEqual([
      { kind: 'call', action: 'GetEmbedding', requestId: 'req-1' },
      { kind: 'stream', action: 'ChatCompletions', requestId: 'stream-1' },
    ]);
  });

  it('may change the options of a stream (headers, region) before it is sent', async () => {
    streaming();
    const t = transport({
      middleware: [
        (next) => (request, context) =>
          next(
            { ...request, options: { ...request.options, region: 'ap-beijing', headers: { 'X-Trace': request.kind } } },
            context,
          ),
      ],
    });
    const stream = await t.stream('ChatCompletions', { Stream: true });
    for await (const _ of stream.events) void _;
    expect(harness.server.received[0]?.headers['x-trace']).toBe('stream');
    expect(harness.server.received[0]?.headers['x-tc-region']).toBe('ap-beijing');
    expect(harness.server.received[0]?.signatureValid).toBe(true);
  });

  it('hands the next middleware a context that follows a changed region', async () => {
    const contexts: CallContext[] = [];
    const t = transport({
      middleware: [
        (next) => (request, context) =>
          next({ ...request, options: { ...request.options, region: 'ap-shanghai' } }, context),
        (next) => (request, context) => {
          contexts.push(context);
          return next(request, context);
        },
      ],
    });
    await t.call('GetEmbedding', {}, { region: 'ap-guangzhou' });
    expect(contexts).toEqual([
      { service: 'hunyuan', version: '2023-09-01', action: 'GetEmbedding', region: 'ap-shanghai' },
    ]);
  });

  it('an error a middleware sees carries the region the request was sent to', async () => {
    harness.server.behave((_req, res) =>
      envelope(res, { Error: { Code: 'ResourceNotFound', Message: 'no' }, RequestId: 'e-1' }),
    );
    const t = transport({
      middleware: [
        (next) => (request, context) =>
          next({ ...request, options: { ...request.options, region: 'ap-beijing' } }, context),
      ],
    });
    const err = await caught(t.call('GetEmbedding', {}));
    expect(err.region).toBe('ap-beijing');
  });
});

describe('signRequest', () => {
  it('is a custom client in four lines: build, sign, send, read (the server checks the signature)', async () => {
    const request = buildRequest({
      endpoint: resolveEndpoint({ service: 'cvm', endpoint: harness.server.url }),
      action: 'DescribeRegions',
      version: '2017-03-12',
      params: { Limit: 1 },
      timestamp: Math.floor(Date.now() / 1000),
    });
    const signed = await signRequest(request, credentials);
    const response = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
    expect(unwrap(await readEnvelope(response)).RequestId).toBe('req-1');
    expect(harness.server.received[0]?.signatureValid).toBe(true);
    expect(request.headers).not.toHaveProperty('Authorization');
  });

  it('signs what the transport signs, on both entries, and sets the session token', async () => {
    const request = buildRequest({
      endpoint: resolveEndpoint({ service: 'cvm', endpoint: harness.server.url }),
      action: 'DescribeRegions',
      version: '2017-03-12',
      params: {},
      timestamp: 1700000000,
      traceId: 't',
    });
    const node = await signRequest(request, { ...credentials, token: 'session-token' });
    const web = await universal.signRequest(request, { ...credentials, token: 'session-token' });
    expect(web).toEqual(node);
    expect(node.headers['X-TC-Token']).toBe('session-token');
    expect(node.headers['Authorization']).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDTESTTRANSPORT0000000000000000\/2023-11-14\/cvm\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/,
    );
    const sent = await fetchSender()({ ...node, signal: new AbortController().signal });
    expect(unwrap(await readEnvelope(sent)).RequestId).toBe('req-1');
    // The server recomputes the signature (an old timestamp is still a valid signature there).
    expect(harness.server.received[0]?.signatureValid).toBe(true);
  });

  it('signs UNSIGNED-PAYLOAD when the request says so, and refuses what buildRequest did not make', async () => {
    const request = buildRequest({
      endpoint: resolveEndpoint({ service: 'cvm', endpoint: harness.server.url }),
      action: 'DescribeRegions',
      version: '2017-03-12',
      params: {},
      timestamp: Math.floor(Date.now() / 1000),
      unsignedPayload: true,
    });
    const signed = await signRequest(request, credentials);
    await (await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body })).text();
    expect(harness.server.received[0]?.signatureValid).toBe(true);
    const noAction = { ...request, headers: { 'X-TC-Timestamp': '1' } };
    expect(isUsageError(await signRequest(noAction, credentials).catch((e: unknown) => e))).toBe(true);
    expect(isUsageError(await signRequest(request, { ...credentials, secretKey: '' }).catch((e: unknown) => e))).toBe(
      true,
    );
  });
});

describe('a signed request', () => {
  it('never prints its Authorization header or session token (JSON.stringify, util.inspect), yet sends them', async () => {
    const { inspect } = await import('node:util');
    const request = buildRequest({
      endpoint: resolveEndpoint({ service: 'cvm', endpoint: harness.server.url }),
      action: 'DescribeRegions',
      version: '2017-03-12',
      params: {},
      timestamp: Math.floor(Date.now() / 1000),
    });
    const signed = await signRequest(request, { ...credentials, token: 'session-token-secret' });
    for (const printed of [
      JSON.stringify(signed),
      inspect(signed, { depth: 5 }),
      JSON.stringify(signed.headers),
      inspect(signed.headers),
    ]) {
      expect(printed).not.toContain('session-token-secret');
      expect(printed).not.toContain('Signature=');
      expect(printed).toContain('[REDACTED]');
    }
    expect(Object.keys(signed.headers)).toContain('Authorization');
    expect(Object.keys(signed.headers)).not.toContain('toJSON');
    expect(Object.getOwnPropertySymbols(signed.headers)).toEqual([]);
    const { nodeSender } = await import('../src/index.node');
    const sender = nodeSender();
    for (const send of [sender, fetchSender()]) {
      const response = await send({ ...signed, signal: new AbortController().signal });
      await readEnvelope(response);
    }
    sender.close();
    expect(harness.server.received.map((r) => [r.signatureValid, r.headers['x-tc-token']])).toEqual([
      [true, 'session-token-secret'],
      [true, 'session-token-secret'],
    ]);
  });
});
