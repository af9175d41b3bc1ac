import { describe, expect, it } from 'vitest';
import type { ServiceSchema } from '@x/services';
import { actionOf, fieldType, knownVersions, SchemaStore } from '../src/schema';
import { synthesizedHandler } from '../src/synthesize';
import { STREAM_REPLY, type HandlerContext, type StreamReply } from '../src/types';

// Synthesized answers and schema parsing called directly, on a small hand-written schema: field
// values by name, nesting limits, recursion, list paging and streaming switches.
const schema: ServiceSchema = {
  service: 'demo',
  version: '2020-01-01',
  structs: [
    /* 0: list input */ { Offset: 'n', Limit: 'n', Other: 's' },
    /* 1: list output */ {
      TotalCount: 'n',
      Names: '[s',
      ItemSet: '[2',
      CreatedTime: 's',
      ExpireDate: 's',
      Region: 's',
      Zone: 's',
      InstanceId: 's',
      Id: 's',
      Name: 's',
      Count: 'i',
      Ratio: 'n',
      On: 'b',
    },
    /* 2: item */ { ItemId: 's', Self: '2', Children: '[2', Deep: '3' },
    /* 3 */ { Next: '4', Leaf: 's' },
    /* 4 */ { Next: '5', Leaf: 's' },
    /* 5 */ { Next: '6', Leaf: 's' },
    /* 6 */ { Next: '7', Leaf: 's' },
    /* 7 */ { Leaf: 's' },
    /* 8: empty input */ {},
    /* 9: stream input */ { Stream: 'b' },
    /* 10: no fields */ null,
  ],
  codes: ['A.B'],
  actions: {
    List: [0, 1, [0]],
    Plain: [8, 1, []],
    Always: [8, 2, [], ''],
    Switch: [9, 2, [], 'Stream'],
    Empty: [8, 10, [], null, 1],
  },
};
const action = (name: string) => actionOf(schema, name)!;
const ctx = {} as HandlerContext;
const run = (name: string, params: Record<string, unknown> = {}, seed = 1) =>
  synthesizedHandler(action(name), seed)(params, ctx) as Record<string, unknown>;

describe('synthesizedHandler', () => {
  it('answers plausible values by field name and kind, the same for the same seed', () => {
    const out = run('Plain');
    expect(out['CreatedTime']).toMatch(/^2026-01-(0[1-9]|1\d|2[0-8]) 08:00:00$/);
    expect(out['ExpireDate']).toMatch(/^2026-01-\d{2} 08:00:00$/);
    expect(out['Region']).toBe('ap-guangzhou');
    expect(out['Zone']).toBe('ap-guangzhou-3');
    expect(out['InstanceId']).toMatch(/^ins-[0-9a-z]{8}$/);
    expect(out['Id']).toMatch(/^Id-[0-9a-z]{8}$/);
    expect(out['Name']).toMatch(/^Name-[0-9a-z]{8}$/);
    expect(Number.isInteger(out['Count'])).toBe(true);
    expect(out['Count']).toBeGreaterThanOrEqual(0);
    expect(out['Count']).toBeLessThan(100);
    expect(Number.isInteger(out['Ratio'])).toBe(true);
    expect(typeof out['On']).toBe('boolean');
    expect(run('Plain')).toEqual(out);
    expect(run('Plain', {}, 2)).not.toEqual(out);
    const names = out['Names'] as string[];
    expect(names.length === 1 || names.length === 2).toBe(true);
    for (const name of names) expect(name).toMatch(/^Names-[0-9a-z]{8}$/);
    // Values differ by path: two tokens from different fields are not the same.
    expect((out['Name'] as string).slice(5)).not.toBe((out['Id'] as string).slice(3));
  });

  it('varies booleans and numbers across seeds (neither constant)', () => {
    const seen = { on: new Set<unknown>(), count: new Set<unknown>(), day: new Set<unknown>(), len: new Set<number>() };
    for (let seed = 0; seed < 40; seed++) {
      const out = run('Plain', {}, seed);
      seen.on.add(out['On']);
      seen.count.add(out['Count']);
      seen.day.add(out['CreatedTime']);
      seen.len.add((out['Names'] as unknown[]).length);
    }
    expect(seen.on).toEqual(new Set([true, false]));
    expect(seen.count.size).toBeGreaterThan(10);
    expect(seen.day.size).toBeGreaterThan(5);
    expect(seen.len).toEqual(new Set([1, 2]));
  });

  it('leaves out struct fields that recurse or nest past 4 levels, and arrays of them empty', () => {
    const [first] = run('List', { Limit: 1 })['ItemSet'] as Record<string, unknown>[];
    expect(first!['ItemId']).toMatch(/^ite-[0-9a-z]{8}$/);
    expect(first).not.toHaveProperty('Self');
    expect(first!['Children']).toEqual([]);
    // ItemSet item (1) > Deep (2) > Next (3) > Next (4): the next level is left out.
    const deep = first!['Deep'] as { Leaf: string; Next: { Leaf: string; Next: Record<string, unknown> } };
    expect(deep.Leaf).toMatch(/^Leaf-/);
    expect(deep.Next.Leaf).toMatch(/^Leaf-/);
    expect(deep.Next.Next).toHaveProperty('Leaf');
    expect(deep.Next.Next).not.toHaveProperty('Next');
  });

  it('pages a list action over a stable TotalCount: Offset, Limit (default 20, at most 1000)', () => {
    const all = run('List', { Limit: 1000 });
    const total = all['TotalCount'] as number;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(60);
    const items = all['ItemSet'] as Record<string, unknown>[];
    expect(items).toHaveLength(total);
    expect(new Set(items.map((i) => i['ItemId'])).size).toBe(total);
    expect(run('List')['ItemSet']).toEqual(items.slice(0, 20));
    expect(run('List', { Offset: 2, Limit: 3 })['ItemSet']).toEqual(items.slice(2, 5));
    expect(run('List', { Offset: '1', Limit: '2' })['ItemSet']).toEqual(items.slice(1, 3));
    expect(run('List', { Offset: 1n, Limit: 2n })['ItemSet']).toEqual(items.slice(1, 3));
    expect(run('List', { Offset: -4, Limit: 0 })['ItemSet']).toEqual(items.slice(0, 20));
    expect(run('List', { Offset: 1.5, Limit: 2.5 })['ItemSet']).toEqual(items.slice(0, 20));
    expect(run('List', { Offset: true, Limit: 'x' })['ItemSet']).toEqual(items.slice(0, 20));
    expect(run('List', { Offset: total, Limit: 5 })['ItemSet']).toEqual([]);
    expect(run('List', { Offset: total - 1, Limit: 5 })['ItemSet']).toEqual(items.slice(total - 1));
    expect(run('List', { Offset: 0, Limit: 1 })['ItemSet']).toEqual(items.slice(0, 1));
    expect(run('List', { Limit: 1 })['TotalCount']).toBe(total);
    // Names, the other array, is not paged.
    expect((run('List', { Limit: 1 })['Names'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('streams 3 events for an action that always streams, or when its switch param is true', () => {
    const always = synthesizedHandler(action('Always'), 1)({}, ctx) as StreamReply;
    expect(always[STREAM_REPLY]).toBe(true);
    const events = always.events as Record<string, unknown>[];
    expect(events).toHaveLength(3);
    expect(events[0]).not.toEqual(events[1]);
    expect(events[0]!['ItemId']).toMatch(/^ite-/);
    const on = synthesizedHandler(action('Switch'), 1)({ Stream: true }, ctx) as StreamReply;
    expect(on[STREAM_REPLY]).toBe(true);
    for (const off of [{}, { Stream: false }, { Stream: 'true' }]) {
      const answer = synthesizedHandler(action('Switch'), 1)(off, ctx) as Record<string | symbol, unknown>;
      expect(answer[STREAM_REPLY]).toBeUndefined();
      expect(answer['ItemId']).toMatch(/^ite-/);
    }
    expect(run('Empty')).toEqual({});
  });
});

describe('schema parsing', () => {
  it('fieldType reads array levels, the base kind or struct index, and the required mark', () => {
    expect(fieldType('s')).toEqual({ arrayDepth: 0, base: 's', required: false });
    expect(fieldType('n!')).toEqual({ arrayDepth: 0, base: 'n', required: true });
    expect(fieldType('[[b')).toEqual({ arrayDepth: 2, base: 'b', required: false });
    expect(fieldType('[i!')).toEqual({ arrayDepth: 1, base: 'i', required: true });
    expect(fieldType('[12!')).toEqual({ arrayDepth: 1, base: 12, required: true });
    expect(fieldType('7')).toEqual({ arrayDepth: 0, base: 7, required: false });
    expect(fieldType('[12!')).toBe(fieldType('[12!'));
  });

  it('actionOf resolves error codes and switches, and knows own actions only', () => {
    expect(action('List')).toEqual({
      name: 'List',
      schema,
      input: 0,
      output: 1,
      errors: ['A.B'],
      streaming: undefined,
      multipart: false,
    });
    expect(action('Always')).toMatchObject({ streaming: '', multipart: false });
    expect(action('Switch')).toMatchObject({ streaming: 'Stream' });
    expect(action('Empty')).toMatchObject({ streaming: undefined, multipart: true });
    expect(actionOf(schema, 'toString')).toBeUndefined();
    expect(actionOf(schema, 'Nope')).toBeUndefined();
  });

  it('knows the services and versions of @x/services, and loads their schemas and catalogs once', async () => {
    expect(knownVersions('cvm')?.has('2017-03-12')).toBe(true);
    expect(knownVersions('nosuch')).toBeUndefined();
    const store = new SchemaStore();
    const [a, b] = await Promise.all([store.load('cvm', '2017-03-12'), store.load('cvm', '2017-03-12')]);
    expect(a).toBe(b);
    expect(a?.service).toBe('cvm');
    expect(await store.load('cvm', '2017-03-12')).toBe(a);
    expect(store.loadSync('cvm', '2017-03-12')).toBe(a);
    expect(await store.load('cvm', '1999-01-01')).toBeUndefined();
    expect(await store.load('../../etc', 'x')).toBeUndefined();
    expect(store.loadSync('nosuch', '2020-01-01')).toBeUndefined();
    const sync = new SchemaStore();
    const first = sync.loadSync('cbs', '2017-03-12');
    expect(first?.version).toBe('2017-03-12');
    expect(sync.loadSync('cbs', '2017-03-12', true)).toBe(first);
    expect(await sync.load('cbs', '2017-03-12')).toBe(first);
    const catalog = await store.catalog('cvm', '2017-03-12');
    expect(catalog).toBeDefined();
    expect(await store.catalog('cvm', '2017-03-12')).toBe(catalog);
    expect(await store.catalog('cvm', '1999-01-01')).toBeUndefined();
  });
});
