// serializeParams and flattenParams, the public encoders of request parameters: what each kind of
// value becomes, and the UsageError (with the path of the value) for what cannot be sent as is.
import { isUsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { flattenParams, serializeParams } from '../src/index.node';

function usageError(run: () => unknown): Error & { argument?: string } {
  try {
    run();
  } catch (err) {
    expect(isUsageError(err), String(err)).toBe(true);
    return err as Error & { argument?: string };
  }
  throw new Error('expected a UsageError');
}

class Point {
  constructor(readonly x: number) {}
}

describe('serializeParams', () => {
  it('sends no params as {}', () => {
    expect(serializeParams(undefined)).toBe('{}');
    expect(serializeParams(null)).toBe('{}');
  });

  it.each([
    ['an array', [1], 'got an array'],
    ['a string', 'Limit=1', 'got a string'],
    ['a number', 3, 'got a number'],
    ['a boolean', true, 'got a boolean'],
  ])('refuses params that are %s', (_label, params, detail) => {
    const err = usageError(() => serializeParams(params));
    expect(err.message).toContain(`must be an object of request parameters, ${detail}`);
    expect(err.argument).toBe('params');
  });

  it('writes plain data as JSON.stringify does: strings, numbers, booleans, null, arrays, nested objects', () => {
    const params = {
      A: 'x"y',
      B: 1.5,
      C: false,
      D: true,
      E: null,
      F: [1, 'a', [null]],
      G: { H: { I: [] } },
      J: undefined,
    };
    expect(serializeParams(params)).toBe(JSON.stringify(params));
    const deep = { A: [] as unknown[] };
    let level = deep.A;
    for (let i = 0; i < 80; i++) {
      const next: unknown[] = [false, { K: i }];
      level.push(next);
      level = next;
    }
    expect(serializeParams(deep)).toBe(JSON.stringify(deep));
  });

  it('writes a bigint as an exact integer, a Date as its JSON, and leaves undefined properties out, anywhere', () => {
    const when = new Date(Date.UTC(2024, 0, 2));
    const params = { Id: 12345678901234567890n, When: when, Skip: undefined, Deep: [{ N: 1n, B: false, Z: null }] };
    expect(serializeParams(params)).toBe(
      '{"Id":12345678901234567890,"When":"2024-01-02T00:00:00.000Z","Deep":[{"N":1,"B":false,"Z":null}]}',
    );
    expect(serializeParams(Object.assign(Object.create(null) as object, { A: 1 }))).toBe('{"A":1}');
  });

  it.each([
    ['NaN', { Limit: Number.NaN }, 'NaN cannot be sent as JSON', 'params.Limit'],
    ['Infinity', { A: [1, Number.POSITIVE_INFINITY] }, 'Infinity cannot be sent as JSON', 'params.A[1]'],
    ['undefined in an array', { Ids: ['a', undefined] }, 'undefined inside an array cannot be sent', 'params.Ids[1]'],
    ['a hole in an array', { Ids: [1, , 3] }, 'undefined inside an array cannot be sent', 'params.Ids[1]'],
    ['a class instance', { P: new Point(1) }, 'is a Point, not plain data', 'params.P'],
    ['a Map inside', { F: [{ M: new Map() }] }, 'is a Map, not plain data', 'params.F[0].M'],
    ['a function', { F: () => 1 }, 'a function cannot be sent', 'params.F'],
    ['a symbol', { S: Symbol('s') }, 'a symbol cannot be sent', 'params.S'],
  ])('refuses %s, naming its path', (_label, params, detail, path) => {
    const err = usageError(() => serializeParams(params));
    expect(err.message).toContain(detail);
    expect(err.argument).toBe(path);
  });

  it('refuses a cycle but sends the same object twice side by side', () => {
    const shared = { V: 1 };
    expect(serializeParams({ A: shared, B: [shared, shared], N: 1n })).toBe(
      '{"A":{"V":1},"B":[{"V":1},{"V":1}],"N":1}',
    );
    const cyclic: Record<string, unknown> = { N: 1n };
    cyclic['Self'] = { Back: cyclic };
    const err = usageError(() => serializeParams(cyclic));
    expect(err.message).toContain('refers back to itself (a cycle) and cannot be sent');
    expect(err.argument).toBe('params.Self.Back');
  });
});

describe('flattenParams', () => {
  it('flattens arrays and objects into dotted names, skipping null and undefined', () => {
    const params = {
      Filters: [{ Name: 'zone', Values: ['ap-1', 'ap-2'] }],
      Limit: 10,
      On: true,
      Off: null,
      No: undefined,
    };
    expect(flattenParams(params)).toEqual([
      ['Filters.0.Name', 'zone'],
      ['Filters.0.Values.0', 'ap-1'],
      ['Filters.0.Values.1', 'ap-2'],
      ['Limit', '10'],
      ['On', 'true'],
    ]);
    expect(flattenParams(undefined)).toEqual([]);
    expect(flattenParams(null)).toEqual([]);
  });

  it('writes a Date as its JSON and a bigint exactly, and applies the JSON checks', () => {
    const when = new Date(Date.UTC(2024, 0, 2));
    expect(flattenParams({ When: when, Id: 12345678901234567890n, L: [when] })).toEqual([
      ['When', '2024-01-02T00:00:00.000Z'],
      ['Id', '12345678901234567890'],
      ['L.0', '2024-01-02T00:00:00.000Z'],
    ]);
    expect(usageError(() => flattenParams({ N: Number.NaN })).argument).toBe('params.N');
  });
});
