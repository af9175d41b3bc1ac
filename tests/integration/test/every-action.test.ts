import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isApiError } from '@x/client';
import { startEmulator, type Emulator } from '@x/emulator';
import { serviceVersions, type ServiceSchema } from '@x/services';

// 200 actions drawn with a fixed seed from all 15,745, each called through @x/client against the
// emulator's synthesized answers with the smallest params its schema accepts: the answer carries
// every declared output field; an extra param gets UnknownParameter; a missing required one
// MissingParameter. The inputs are built here from the schema, independently of the emulator.

const dirOf = (version: string) => `v${version.replaceAll('-', '')}`;

/** mulberry32: the same draw in every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The required params of a struct, recursively, with plain values of their types. */
function minimalInput(schema: ServiceSchema, index: number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, code] of Object.entries(schema.structs[index] ?? {})) {
    if (!code.endsWith('!')) continue;
    const arrays = /^\[*/.exec(code)![0].length;
    const base = code.slice(arrays, -1);
    let value: unknown =
      base === 's'
        ? 'x'
        : base === 'n' || base === 'i'
          ? 1
          : base === 'b'
            ? true
            : depth < 8
              ? minimalInput(schema, Number(base), depth + 1)
              : {};
    for (let i = 0; i < arrays; i++) value = [value];
    out[name] = value;
  }
  return out;
}

interface Picked {
  readonly schema: ServiceSchema;
  readonly action: string;
}

let emulator: Emulator;
let picked: Picked[];
beforeAll(async () => {
  emulator = await startEmulator({ fixtures: false, seed: 7 });
  const schemas = await Promise.all(
    serviceVersions.map(
      async ({ service, version }) =>
        ((await import(`@x/services/${service}/${dirOf(version)}/schema`)) as { schema: ServiceSchema }).schema,
    ),
  );
  const all = schemas.flatMap((schema) => Object.keys(schema.actions).map((action) => ({ schema, action })));
  expect(all).toHaveLength(15_745);
  const next = random(15);
  const chosen = new Set<number>();
  while (chosen.size < 200) chosen.add(Math.floor(next() * all.length));
  picked = [...chosen].map((i) => all[i]!);
}, 120_000);
afterAll(() => emulator.close());

async function check({ schema, action }: Picked): Promise<void> {
  const [input, output, , streaming] = schema.actions[action]!;
  const client = createClient({
    service: schema.service,
    version: schema.version,
    region: 'ap-guangzhou',
    endpoint: emulator.url,
    credentials: emulator.credentials,
    retry: false,
  });
  const params = minimalInput(schema, input);
  const declared = Object.keys(schema.structs[output] ?? {});
  const where = `${schema.service} ${schema.version} ${action}`;
  if (streaming === '') {
    const stream = await client.stream(action, params);
    let events = 0;
    for await (const event of stream) {
      expect(Object.keys(event as object), where).toEqual(expect.arrayContaining(declared));
      events++;
    }
    expect(events, where).toBeGreaterThan(0);
  } else {
    const result = await client.call(action, params);
    expect(Object.keys(result), where).toEqual(expect.arrayContaining([...declared, 'RequestId']));
  }
  const extra = await client.call(action, { ...params, NoSuchParam: 1 }).catch((err: unknown) => err);
  expect(isApiError(extra, 'UnknownParameter'), `${where}: ${String(extra)}`).toBe(true);
  const required = Object.keys(params);
  if (required.length > 0) {
    const { [required[0]!]: _dropped, ...without } = params;
    const missing = await client.call(action, without).catch((err: unknown) => err);
    expect(isApiError(missing, 'MissingParameter'), `${where}: ${String(missing)}`).toBe(true);
    expect((missing as { serverMessage: string }).serverMessage, where).toContain(`\`${required[0]}\``);
  }
}

describe('every action of every service (200 drawn with a fixed seed)', () => {
  it('answers each with its declared output fields, refuses an unknown param and a missing required one', async () => {
    let withRequired = 0;
    // Eight calls at a time: fast enough on two cores, few enough to keep the emulator's schema loads in step.
    const queue = [...picked];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await check(next);
          if (Object.keys(minimalInput(next.schema, next.schema.actions[next.action]![0])).length > 0) withRequired++;
        }
      }),
    );
    expect(new Set(picked.map((p) => p.schema.service)).size).toBeGreaterThan(80);
    // Streaming actions are few (a dozen of 15,745): one that always streams is checked besides the draw.
    const tdai = (await import('@x/services/tdai/v20250717/schema')) as { schema: ServiceSchema };
    await check({ schema: tdai.schema, action: 'CreateChatCompletion' });
    expect(withRequired).toBeGreaterThan(50);
  }, 120_000);

  it('paginates a synthesized list action (cbs DescribeDisks, no fixture) to exactly its TotalCount', async () => {
    const cbs = createClient({
      service: 'cbs',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
    });
    const { TotalCount } = (await cbs.call('DescribeDisks', { Limit: 1 })) as unknown as { TotalCount: number };
    const ids: string[] = [];
    for await (const disk of cbs.paginate('DescribeDisks', {}, { items: 'DiskSet', pageSize: 4 }))
      ids.push((disk as { DiskId: string }).DiskId);
    expect(TotalCount).toBeGreaterThan(4);
    expect(ids).toHaveLength(TotalCount);
    expect(new Set(ids).size).toBe(TotalCount);
  });
});
