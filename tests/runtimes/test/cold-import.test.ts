import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { here, root, run } from './runtime-support';

// What importing @x/client (the Node entry, every feature kept) loads: Node built-ins that cost
// start-up time (node:tls ~17 ms on Node 20, node:net, node:crypto, node:fs/promises)
// load at the first call that needs them, not at import. Timings belong to `npm run bench`; this
// checks the cause, which is deterministic.
const script = `
const before = new Set(process.moduleLoadList);
const client = await import('@x/client');
const loaded = () => process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13));
const atImport = loaded();
const { startEmulator } = await import('@x/emulator');
const emulator = await startEmulator();
const cvm = client.createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint: emulator.url,
  credentials: emulator.credentials });
const { TotalCount } = await cvm.call('DescribeInstances', { Limit: 1 });
cvm.close();
await emulator.close();
console.log(JSON.stringify({ atImport, TotalCount }));
`;

interface Condition {
  readonly node?: { readonly import?: { readonly default: string } };
}

describe('cold import of @x/client on Node', () => {
  // Node 20's ESM loader pays a few ms for every file it resolves, reads and links: the split
  // build (chunks shared between entries and with the import() chunks) made @x/client and its
  // packages 19 files. What the "node" + "import" condition selects is one file per entry, so an
  // import loads one file per package.
  it.each([
    ['errors', '.'],
    ['envelope', '.'],
    ['transport', '.'],
    ['transport', './sign'],
    ['credentials', '.'],
  ])('@x/%s (%s) gives Node one ESM file that imports no chunk of its own', (name, subpath) => {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      exports: Record<string, Condition>;
    };
    const file = manifest.exports[subpath]?.node?.import?.default;
    expect(file, `${name} ${subpath}: a "node" + "import" condition`).toMatch(/^\.\/dist\/node\//);
    const code = readFileSync(join(dir, file!), 'utf8');
    expect(code.match(/(?:from|import\()\s*["']\.{1,2}\/[^"']*["']/g) ?? []).toEqual([]);
  });

  // Node compiles the whole of a file it imports, so @x/client's Node entry (tooling/node-bundle.mjs)
  // keeps what a call does not always need in files of their own, loaded by import() at first use;
  // the file an import loads imports none of them statically. The loader also charges per package
  // (5 one-line packages: ~34 M instructions on Node 20), so it carries errors, envelope, transport
  // and credentials inlined.
  const nodeEntry = join(root, 'packages', 'client', 'dist', 'node');
  it('@x/client gives Node one file at import: no other @x package, its other files only by import()', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', 'client', 'package.json'), 'utf8')) as {
      exports: Record<string, Condition>;
    };
    expect(manifest.exports['.']?.node?.import?.default).toBe('./dist/node/index.js');
    const code = readFileSync(join(nodeEntry, 'index.js'), 'utf8');
    expect(code.match(/(?:from|import\()\s*["']@x\/[^"']*["']/g) ?? []).toEqual([]);
    expect(code.match(/from\s*["']\.{1,2}\/[^"']*["']|^import\s*["'][^"']*["']/gm) ?? []).toEqual([]);
    expect(code).toContain('@x/errors.TencentCloudError'); // the inlined errors' brand
    const lazy = [...code.matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    // The HTTP/1.1 client, SSE, the exact JSON parser, uploads, the default credential chain, streaming.
    for (const part of [/^sender-/, /^event-source-/, /^json-/, /^request-parts-/, /^default-node-/, /^stream-call-/]) {
      const file = lazy.find((name) => part.test(name));
      expect(file, String(part)).toBeDefined();
      expect(existsSync(join(nodeEntry, file!)), file).toBe(true);
    }
    // The texts of the common codes stay in it: describeError is synchronous on Node.
    expect(code).toContain('commonTextsTable');
  });

  // Each part loaded at first use, from the Node entry, over the emulator: the first request
  // (sender), a stream (stream-call, event-source), an answer with a 64-bit integer (json), an
  // upload (request-parts), credentials from the environment (default-node).
  it('the parts loaded at first use work from the Node entry', async () => {
    const check = `import { createClient, isApiError } from '@x/client';
import { startEmulator } from '@x/emulator';
const emulator = await startEmulator({ handlers: {
  cvm: { DescribeZones: () => ({ Id: 9007199254740993n }) },
  cii: { UploadMedicalFile: (params) => ({ Seen: Object.keys(params).sort().join(',') }) },
} });
process.env.TENCENTCLOUD_SECRET_ID = emulator.credentials.secretId;
process.env.TENCENTCLOUD_SECRET_KEY = emulator.credentials.secretKey;
const options = { region: 'ap-guangzhou', endpoint: emulator.url, retry: false };
const cvm = createClient({ service: 'cvm', version: '2017-03-12', ...options });
const { TotalCount } = await cvm.call('DescribeInstances', { Limit: 1 });
const { Id } = await cvm.call('DescribeZones');
const typed = await cvm.call('DescribeInstances', { Limit: 1000 }).catch((err) => isApiError(err) && err.hint !== undefined && err.code);
const hunyuan = createClient({ service: 'hunyuan', version: '2023-09-01', ...options });
let streamed = '';
for await (const event of await hunyuan.stream('ChatCompletions', { Model: 'hunyuan-lite', Stream: true, Messages: [{ Role: 'user', Content: 'hi' }] }))
  streamed += event.Choices[0].Delta.Content;
const cii = createClient({ service: 'cii', version: '2021-04-08', ...options });
const { Seen } = await cii.call('UploadMedicalFile', { FileURL: 'https://example.com/a.pdf', File: new Uint8Array([1, 2]) }, { multipart: true });
for (const client of [cvm, hunyuan, cii]) client.close();
await emulator.close();
console.log(JSON.stringify({ TotalCount, Id: typeof Id === 'bigint' ? String(Id) : Id, typed, streamed, Seen }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', check], { cwd: here });
    expect(JSON.parse(stdout)).toEqual({
      TotalCount: 50,
      Id: '9007199254740993',
      typed: 'InvalidParameterValue',
      streamed: '你好！This is the emulator. You said: hi',
      Seen: 'File,FileURL',
    });
  }, 30_000);

  // What inlining must not break: an application importing @x/errors and @x/transport beside
  // @x/client holds two copies of their code, and values cross between them.
  it('errors and a retry budget cross between @x/client and the packages it inlines', async () => {
    const check = `import { createClient, ApiError as ClientApiError } from '@x/client';
import { ApiError, TencentCloudError, isApiError } from '@x/errors';
import { RetryBudget } from '@x/transport';
import { startEmulator } from '@x/emulator';
const emulator = await startEmulator();
const budget = new RetryBudget({ capacity: 20, retryCost: 5 });
const options = { service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint: emulator.url,
  credentials: emulator.credentials, budget };
const one = createClient(options);
const two = createClient(options);
emulator.faults.add({ action: 'DescribeZones', fault: { kind: 'throttle' }, times: 2 });
await one.call('DescribeZones');
await two.call('DescribeZones');
emulator.faults.add({ action: 'DescribeRegions', error: 'InvalidParameter', times: 1 });
const err = await one.call('DescribeRegions').catch((e) => e);
one.close(); two.close();
await emulator.close();
console.log(JSON.stringify({ sameClass: ClientApiError === ApiError, left: budget.available,
  instance: err instanceof ApiError, base: err instanceof TencentCloudError, guard: isApiError(err, 'InvalidParameter'),
  clientInstance: err instanceof ClientApiError, code: err.code, requestId: typeof err.requestId,
  hint: typeof err.hint }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', check], { cwd: here });
    expect(JSON.parse(stdout)).toEqual({
      sameClass: false, // two copies...
      left: 12, // ...one budget: two retries (5 each) taken by two clients, two successes give 1 back each
      instance: true,
      base: true,
      guard: true,
      clientInstance: true,
      code: 'InvalidParameter',
      requestId: 'string',
      hint: 'string', // the inlined @x/errors installed its texts: on Node they are there without loadErrorTexts
    });
  }, 30_000);

  it('loads no costly Node built-in until a call needs it, and calls still work', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: here });
    const { atImport, TotalCount } = JSON.parse(stdout) as { atImport: string[]; TotalCount: number };
    for (const costly of ['tls', 'net', 'crypto', 'http', 'https', 'fs/promises']) {
      expect(atImport, costly).not.toContain(costly);
    }
    expect(TotalCount).toBeGreaterThan(0);
  }, 30_000);

  // Node 20.0-20.15 have no process.getBuiltinModule: the ESM build then makes a require of its
  // own (module.createRequire), the CJS build uses its require. Both still sign and send.
  it.each([
    ['ESM', "const t = await import('@x/transport');"],
    ['CJS', "const t = (await import('node:module')).createRequire(process.cwd() + '/x.cjs')('@x/transport');"],
  ])(
    'loads its built-ins without process.getBuiltinModule (%s)',
    async (_format, load) => {
      const check = `delete process.getBuiltinModule; ${load}
const { startEmulator } = await import('@x/emulator');
const emulator = await startEmulator();
const transport = t.createTransport({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials });
const { data } = await transport.call('DescribeInstances', { Limit: 1 });
transport.close();
await emulator.close();
console.log(JSON.stringify({ total: data.TotalCount, hasGetBuiltin: 'getBuiltinModule' in process }));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', check], { cwd: here });
      expect(JSON.parse(stdout)).toEqual({ total: expect.any(Number), hasGetBuiltin: false });
    },
    30_000,
  );
});
