import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@x/test-support';
import { buildRequest, resolveEndpoint, type BuildRequestInput } from '../src/index';
import { prepareRequest } from '../src/build-request';
import { plainParamsJson } from '../src/plain-params';
import { serializeParams } from '../src/serialize';

// The attempts build requests with prepareRequest: a POST of plain JSON params is built at once; a
// multipart or raw body loads its encoder (bytes-body.ts, multipart.ts), other params and GET
// queries the checked writer (serialize.ts), by import() at the first call that needs them. Either
// way the request, or the UsageError, is buildRequest's.

const base: BuildRequestInput = {
  endpoint: resolveEndpoint({ service: 'cii', region: 'ap-guangzhou' }),
  action: 'UploadMedicalFile',
  version: '2021-04-08',
  timestamp: 1700000000,
  traceId: 'trace-1',
};

/** What building ended in: the request, or the error's class and message. */
async function outcome(build: () => unknown): Promise<unknown> {
  try {
    return { request: await build() };
  } catch (err) {
    return {
      error: (err as Error).name,
      message: (err as Error).message,
      argument: (err as { argument?: unknown }).argument,
    };
  }
}

describe('prepareRequest', () => {
  it('builds a POST of plain JSON params at once, with no promise, as buildRequest does', () => {
    for (const params of [undefined, null, {}, { Name: 'a', Tags: [{ Key: 'k', Value: 1 }], Skip: undefined }]) {
      const input = { ...base, params };
      const prepared = prepareRequest(input);
      expect(prepared).not.toBeInstanceOf(Promise);
      expect(prepared).toEqual(buildRequest(input));
    }
  });

  it('other params and GET queries: the checked writer loads, then the same request, at once from then on', async () => {
    const inputs = [
      { ...base, params: { When: new Date(0), Id: 12345678901234567890n } },
      { ...base, params: Object.assign(Object.create(null) as object, { Deep: [[[]]], N: -0 }) },
      { ...base, method: 'GET' as const, params: { Filters: [{ Name: 'zone', Values: ['ap-1'] }] } },
    ];
    for (const input of inputs) expect(await prepareRequest(input)).toEqual(buildRequest(input));
    for (const input of inputs) {
      const again = prepareRequest(input);
      expect(again).not.toBeInstanceOf(Promise);
      expect(again).toEqual(buildRequest(input));
    }
  });

  it('a multipart or raw body: the encoder loads, then the same bytes and headers as buildRequest', async () => {
    const multipart = {
      ...base,
      multipart: true,
      boundary: 'fixed-boundary',
      params: { FileURL: 'https://example.com/a.pdf', File: new Uint8Array([0, 255, 13, 10]) },
    };
    const raw = { ...base, body: new Uint8Array([1, 2, 3]) };
    for (const input of [multipart, raw]) {
      expect(await prepareRequest(input)).toEqual(buildRequest(input));
    }
    // Loaded once: later calls with such a body are built at once too.
    const again = prepareRequest(raw);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toEqual(buildRequest(raw));
  });

  it.each([
    ['multipart with GET', { method: 'GET' as const, multipart: true, params: {} }],
    ['multipart that is not a boolean', { multipart: 'yes' as unknown as boolean, params: {} }],
    ['a raw body that is not bytes', { body: 'text' as unknown as Uint8Array }],
    ['a raw body with params', { body: new Uint8Array([1]), params: { A: 1 } }],
    ['a raw body with multipart', { body: new Uint8Array([1]), multipart: true }],
    ['a boundary without multipart', { boundary: 'b', params: {} }],
    ['a bad action before the body', { action: 'not an action', multipart: true, params: {} }],
    ['params that cannot be sent', { params: { Bad: Symbol('s') } }],
    ['params that are an array', { params: [1] }],
    [
      'a cycle in GET params',
      {
        method: 'GET' as const,
        params: (() => {
          const a: Record<string, unknown> = {};
          a['self'] = a;
          return a;
        })(),
      },
    ],
    ['PUT with params that are not plain', { method: 'PUT' as unknown as 'GET', params: { Id: 1n } }],
    ['a 10 MB raw body', { body: new Uint8Array(10 * 1024 * 1024 + 1) }],
  ])('%s: the same UsageError as buildRequest', async (_name, change) => {
    const input = { ...base, ...change } as BuildRequestInput;
    const expected = await outcome(() => buildRequest(input));
    expect(expected).toMatchObject({ error: 'UsageError' });
    expect(await outcome(() => prepareRequest(input))).toEqual(expected);
  });

  it('10,000 values: the plain-JSON shortcut answers undefined or exactly what serializeParams sends', () => {
    const value = fc.anything({
      withBigInt: true,
      withDate: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(fc.oneof(value, fc.dictionary(fc.string(), value)), (params) => {
        const plain = plainParamsJson(params);
        if (plain === undefined) return;
        expect(plain).toBe(serializeParams(params));
      }),
      { numRuns: fuzzRuns(10_000) },
    );
  });
});
