import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { usage } from './usage';
import { buildRequest, flattenParams, resolveEndpoint, serializeParams } from '../src/index.node';

describe('resolveEndpoint', () => {
  it('uses the nearest access point by default', () => {
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-guangzhou' })).toEqual({
      origin: 'https://cvm.tencentcloudapi.com',
      host: 'cvm.tencentcloudapi.com',
      service: 'cvm',
    });
  });
  it('pins the region on request, and always for financial regions', () => {
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-guangzhou', regionPinned: true }).host).toBe(
      'cvm.ap-guangzhou.tencentcloudapi.com',
    );
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-shanghai-fsi' }).host).toBe(
      'cvm.ap-shanghai-fsi.tencentcloudapi.com',
    );
  });
  it('uses the international site', () => {
    expect(resolveEndpoint({ service: 'cvm', site: 'intl' }).origin).toBe('https://cvm.intl.tencentcloudapi.com');
  });
  it('lets an explicit endpoint win, keeping scheme and port, and never derives the service from it', () => {
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'http://127.0.0.1:8080', region: 'ap-shanghai-fsi' })).toEqual({
      origin: 'http://127.0.0.1:8080',
      host: '127.0.0.1:8080',
      service: 'cvm',
    });
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'proxy.example.com' })).toEqual({
      origin: 'https://proxy.example.com',
      host: 'proxy.example.com',
      service: 'cvm',
    });
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'https://x.example.com:443' }).host).toBe('x.example.com');
  });
  it('refuses bad input, naming it', () => {
    expect(usage(() => resolveEndpoint({ service: 'CVM!' })).argument).toBe('service');
    expect(usage(() => resolveEndpoint({ service: 'cvm', region: 'Guangzhou' })).argument).toBe('region');
    expect(usage(() => resolveEndpoint({ service: 'cvm', endpoint: 'ftp://x' })).argument).toBe('endpoint');
    expect(usage(() => resolveEndpoint({ service: 'cvm', endpoint: 'https://x/path' })).argument).toBe('endpoint');
    expect(usage(() => resolveEndpoint({ service: 'cvm', site: 'mars' as 'intl' })).argument).toBe('site');
  });
});

describe('serializeParams and flattenParams', () => {
  it('writes bigint as exact JSON integers and skips undefined properties', () => {
    expect(serializeParams({ Id: 18446744073709551615n, Skip: undefined, D: new Date(0), N: null })).toBe(
      '{"Id":18446744073709551615,"D":"1970-01-01T00:00:00.000Z","N":null}',
    );
  });
  it.each([
    [{ F: () => 1 }, 'params.F'],
    [{ Filters: [{ Values: ['a', undefined] }] }, 'params.Filters[0].Values[1]'],
    [{ Limit: Number.NaN }, 'params.Limit'],
    [{ Limit: Number.POSITIVE_INFINITY }, 'params.Limit'],
    [{ S: Symbol('x') }, 'params.S'],
    [{ M: new Map() }, 'params.M'],
  ])('refuses %o at %s', (params, argument) => {
    expect(usage(() => serializeParams(params)).argument).toBe(argument);
  });
  it('refuses the holes of a sparse array at their path (never sends `[1,,3]`)', () => {
    expect(usage(() => serializeParams({ Ids: [1, , 3] })).argument).toBe('params.Ids[1]');
  });
  it('writes plain data exactly as JSON.stringify does (fast path), deep nesting included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })), (params) => {
        expect(serializeParams(params)).toBe(JSON.stringify(params));
      }),
      { numRuns: fuzzRuns(500) },
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = i % 2 ? { Next: deep } : [deep];
    expect(serializeParams({ Deep: deep })).toBe(JSON.stringify({ Deep: deep }));
    expect(serializeParams(Object.assign(Object.create(null) as object, { A: 1 }))).toBe('{"A":1}');
  });
  it('refuses cycles and non-object params', () => {
    const cyclic: Record<string, unknown> = { A: {} };
    (cyclic['A'] as Record<string, unknown>)['Back'] = cyclic;
    expect(usage(() => serializeParams(cyclic)).message).toMatch(/^params\.A\.Back: refers back to itself/);
    expect(usage(() => serializeParams([1])).argument).toBe('params');
    // Shared (non-cyclic) references are fine.
    const shared = { Name: 'zone', Values: ['ap-guangzhou-3'] };
    expect(serializeParams({ Filters: [shared, shared] })).toContain('"Filters":[{');
  });
  it('flattens for GET the way the API expects', () => {
    expect(
      flattenParams({
        InstanceIds: ['ins-1', 'ins-2'],
        Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }],
        Limit: 10,
        DryRun: true,
        Big: 18446744073709551615n,
      }),
    ).toEqual([
      ['InstanceIds.0', 'ins-1'],
      ['InstanceIds.1', 'ins-2'],
      ['Filters.0.Name', 'zone'],
      ['Filters.0.Values.0', 'ap-guangzhou-3'],
      ['Limit', '10'],
      ['DryRun', 'true'],
      ['Big', '18446744073709551615'],
    ]);
  });
});

describe('buildRequest', () => {
  const endpoint = resolveEndpoint({ service: 'cvm' });
  const base = {
    endpoint,
    action: 'DescribeInstances',
    version: '2017-03-12',
    timestamp: 1551113065,
    traceId: 'trace-1',
  };

  it('builds a JSON POST with every common header', () => {
    const req = buildRequest({
      ...base,
      params: { Limit: 1 },
      region: 'ap-guangzhou',
      token: 'tok',
      language: 'zh-CN',
    });
    expect(req).toMatchObject({
      method: 'POST',
      url: 'https://cvm.tencentcloudapi.com/',
      host: 'cvm.tencentcloudapi.com',
      query: '',
      body: '{"Limit":1}',
    });
    expect(req.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'X-TC-Action': 'DescribeInstances',
      'X-TC-Version': '2017-03-12',
      'X-TC-Timestamp': '1551113065',
      'X-TC-RequestClient': 'x-transport/0.0.0-test',
      'X-TC-TraceId': 'trace-1',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Token': 'tok',
      'X-TC-Language': 'zh-CN',
    });
  });

  it('omits X-TC-Region without a region and makes a fresh trace id per request', () => {
    const a = buildRequest({ ...base, traceId: undefined });
    const b = buildRequest({ ...base, traceId: undefined });
    expect(a.headers).not.toHaveProperty('X-TC-Region');
    expect(a.headers['X-TC-TraceId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['X-TC-TraceId']).not.toBe(b.headers['X-TC-TraceId']);
  });

  it('builds a GET with the flattened, RFC 3986-encoded query', () => {
    const req = buildRequest({
      ...base,
      method: 'GET',
      params: { Filters: [{ Name: 'instance-name', Values: ['未命名 (1)*'] }] },
    });
    expect(req.url).toBe(`https://cvm.tencentcloudapi.com/?${req.query}`);
    expect(req.query).toBe('Filters.0.Name=instance-name&Filters.0.Values.0=%E6%9C%AA%E5%91%BD%E5%90%8D%20%281%29%2A');
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    expect(req.body).toBe('');
  });

  it('refuses over-size requests locally', () => {
    expect(
      usage(() => buildRequest({ ...base, method: 'GET', params: { Data: 'x'.repeat(33 * 1024) } })).message,
    ).toMatch(/32 KB/);
    expect(usage(() => buildRequest({ ...base, params: { Data: 'x'.repeat(10 * 1024 * 1024) } })).message).toMatch(
      /10 MB/,
    );
  });

  it('refuses bad action, version, language, method and reserved headers', () => {
    expect(usage(() => buildRequest({ ...base, action: 'describe instances' })).argument).toBe('action');
    expect(usage(() => buildRequest({ ...base, version: 'latest' })).argument).toBe('version');
    expect(usage(() => buildRequest({ ...base, language: 'fr-FR' as 'zh-CN' })).message).toBe(
      'language: must be "zh-CN" or "en-US", got "fr-FR"',
    );
    expect(usage(() => buildRequest({ ...base, method: 'PUT' as 'GET' })).argument).toBe('method');
    expect(usage(() => buildRequest({ ...base, headers: { Authorization: 'x' } })).argument).toBe(
      'headers.Authorization',
    );
    expect(usage(() => buildRequest({ ...base, headers: { 'X-TC-Action': 'Other' } })).argument).toBe(
      'headers.X-TC-Action',
    );
  });
});
