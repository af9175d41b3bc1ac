import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@x/emulator';
import { initialOutputs } from './esbuild-split';
import { here, run, smokeHandlers } from './runtime-support';
import { viteSplit } from './vite-split';

// What a page with createClient + one call loads first, as Vite splits it, must not hold the parts
// that load on first use: the exact 64-bit JSON parser (a body with a 16-digit run, or one
// JSON.parse refuses), the multipart / raw-body encoder (a call that uploads) and the checked params
// writer (params JSON.stringify cannot send as they are, GET queries), what only a failure needs
// (an answer's ApiError and the checks that explain a body), dryRun(). Each part is recognised by a
// text only its own code has. Then the esbuild split build runs against the emulator: a large
// integer still comes back exact, a GET call and an upload still send what they should, an
// error answer is a typed ApiError with its hint, and a throttled call is retried.

const lazyParts = {
  'exact JSON parser (envelope json.ts)': 'over the limit for bigint',
  'multipart encoder (transport multipart.ts)': 'Content-Disposition: form-data',
  'raw and multipart bodies (transport bytes-body.ts)': 'cannot be combined with multipart',
  'checked params writer and GET queries (transport serialize.ts)': 'refers back to itself (a cycle)',
  'the checks that explain a failed answer (envelope envelope-checks.ts)': 'has no string',
  'the readers of unusual bodies and their EnvelopeErrors (envelope body-source.ts)': 'is it locked or already read',
  'ApiError and the common codes (errors api-error.ts, describe.ts, common-codes.ts)': 'AuthFailure.MFAFailure',
  'dryRun() (client dry-run.ts)': 'has no DryRun param',
  'the redaction of log lines and body excerpts (errors redact.ts, transport log-line.ts)': 'privatekey',
  "the default chain's providers (credentials instance-metadata.ts, env.ts, chain.ts, cache.ts)":
    'metadata.tencentyun.com',
};
// esbuild's split build keeps up front every file a package's index re-exports (evanw/esbuild#3704),
// so the parts the indexes also export load from files of their own (dist/lazy/: lazyParts in
// tooling/tsup.preset.ts). These must be behind import() there too; @x/errors' answer classes and
// the redaction helpers are still up front in esbuild's split build (its index exports them).
const lazyInEsbuild = {
  ...Object.fromEntries(
    Object.entries(lazyParts).filter(([part]) => !part.startsWith('ApiError') && !part.startsWith('the redaction')),
  ),
  'page walking (client paginate.ts)': '(array fields: ',
  'region failover (client region-breaker.ts)': 'regionFailover.failureRate',
};
const entry =
  "import { createClient } from '@x/client'; createClient({ service: 'cvm', version: '2017-03-12', credentials: { secretId: 'a', secretKey: 'b' } }).call('DescribeRegions').then(console.log);";

/** The code of a Vite build's chunks, split into what the entry loads up front and the rest (built once). */
let viteBuilt: Promise<{ initial: string; lazy: string }> | undefined;
const viteCode = () =>
  (viteBuilt ??= viteSplit(entry).then(({ chunks, initial }) => {
    const code = (up: boolean) =>
      chunks
        .filter((chunk) => initial.has(chunk.fileName) === up)
        .map((chunk) => chunk.code)
        .join('\n');
    return { initial: code(true), lazy: code(false) };
  }));

/** The code of esbuild's split build of the entry, as the size budget builds it: what the entry loads up front and the rest. */
let esbuildBuilt: Promise<{ initial: string; lazy: string }> | undefined;
const esbuildCode = () =>
  (esbuildBuilt ??= build({
    stdin: { contents: entry, resolveDir: here, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: resolve(here, 'lazy-out'), // never written (write: false)
    metafile: true,
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then(({ metafile, outputFiles }) => {
    const key = (path: string) => relative(process.cwd(), path);
    const { initial } = initialOutputs(metafile.outputs);
    const code = (up: boolean) =>
      outputFiles
        .filter((file) => file.path.endsWith('.js') && initial.has(key(file.path)) === up)
        .map((file) => file.text)
        .join('\n');
    return { initial: code(true), lazy: code(false) };
  }));

describe('parts loaded on first use', () => {
  const cases = [
    ...Object.entries(lazyParts).map(([part, text]) => ['Vite', part, text, viteCode] as const),
    ...Object.entries(lazyInEsbuild).map(([part, text]) => ['esbuild (split)', part, text, esbuildCode] as const),
  ];
  it.each(cases)(
    '%s: %s is in a chunk behind import(), not up front',
    async (_bundler, _part, text, codeOf) => {
      const { initial, lazy } = await codeOf();
      expect(initial).not.toContain(text);
      expect(lazy).toContain(text);
    },
    60_000,
  );

  // A part's file is whole (lazyParts): it imports other packages and, by import(), its sibling
  // parts, never a chunk of the split build. And every import() of a part finds its file.
  it.each(['transport', 'envelope', 'client', 'credentials'])(
    '@x/%s: each dist/lazy/ file is whole, and every import() of one finds it',
    (name) => {
      const dist = resolve(here, '../../packages', name, 'dist');
      const parts = readdirSync(join(dist, 'lazy')).filter((file) => file.endsWith('.js'));
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts) {
        const code = readFileSync(join(dist, 'lazy', part), 'utf8');
        expect(code).not.toMatch(/(?:from|import)\s*["']\.\.?\//);
        for (const [, sibling] of code.matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g))
          expect(existsSync(join(dist, 'lazy', sibling!)), `${part} imports ./${sibling}`).toBe(true);
      }
      // Every file of the split build (dist/ and its build-only split/ entries) that imports a part
      // by import() finds it beside itself.
      const split = [
        ...readdirSync(dist).filter((file) => file.endsWith('.js')),
        ...readdirSync(join(dist, 'split'))
          .filter((file) => file.endsWith('.js'))
          .map((file) => join('split', file)),
      ];
      let asked = 0;
      for (const file of split) {
        const code = readFileSync(join(dist, file), 'utf8');
        for (const [, target] of code.matchAll(/import\(\s*["'](\.\/lazy\/[^"']+)["']\s*\)/g)) {
          asked++;
          expect(existsSync(join(dist, dirname(file), target!)), `${file} imports ${target}`).toBe(true);
        }
      }
      expect(asked).toBeGreaterThan(0);
    },
  );

  let emulator: Emulator;
  let outdir: string;
  beforeAll(async () => {
    emulator = await startEmulator({
      handlers: {
        ...smokeHandlers,
        cvm: { DescribeRegions: () => ({ Big: 18446744073709551615n, Small: 7 }), DescribeZones: () => ({ Zones: 2 }) },
      },
      faults: [
        { service: 'cvm', action: 'DescribeZones', fault: { kind: 'throttle' }, times: 1 },
        { service: 'cvm', action: 'DescribeInstances', error: 'AuthFailure.UnauthorizedOperation' },
      ],
    });
    outdir = mkdtempSync(join(tmpdir(), 'x-lazy-'));
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('the esbuild split build: a large integer comes back exact, a GET call, an upload, an error answer and a retry work', async () => {
    const program = `
import { createClient } from '@x/client';
const env = process.env;
const options = { region: 'ap-guangzhou', endpoint: env.ENDPOINT, retry: false,
  credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY } };
const cvm = createClient({ service: 'cvm', version: '2017-03-12', ...options });
const first = await cvm.call('DescribeRegions');
const viaGet = await cvm.call('DescribeRegions', {}, { method: 'GET' });
const cii = createClient({ service: 'cii', version: '2021-04-08', ...options });
const upload = await cii.call('UploadMedicalFile', { File: new Uint8Array([0, 255, 13, 10]) }, { multipart: true });
const zones = await createClient({ service: 'cvm', version: '2017-03-12', ...options, retry: { maxAttempts: 2, baseDelayMs: 1 } }).call('DescribeZones');
const failed = await cvm.call('DescribeInstances').catch((err) => err);
const error = { name: failed.name, code: failed.code, category: failed.category, hint: failed.hint.length > 0, requestId: failed.requestId.length > 0 };
console.log(JSON.stringify({ big: String(first.Big), type: typeof first.Big, small: first.Small, get: viaGet.Small, seen: upload.Seen, zones: zones.Zones, error }));
`;
    const source = join(outdir, 'program.mjs');
    writeFileSync(source, program);
    const built = await build({
      entryPoints: [source],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser'],
      nodePaths: [join(here, 'node_modules'), resolve(here, '../../node_modules')],
      outdir: join(outdir, 'out'),
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = built.metafile.outputs;
    const main = Object.keys(outputs).find((path) => outputs[path]!.entryPoint?.endsWith('program.mjs'))!;
    const { stdout } = await run(process.execPath, [resolve(main)], {
      env: {
        ...process.env,
        ENDPOINT: emulator.url,
        SECRET_ID: emulator.credentials.secretId,
        SECRET_KEY: emulator.credentials.secretKey,
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      big: '18446744073709551615',
      type: 'bigint',
      small: 7,
      get: 7,
      seen: 'File=0.255.13.10',
      zones: 2,
      error: {
        name: 'ApiError',
        code: 'AuthFailure.UnauthorizedOperation',
        category: 'permission',
        hint: true,
        requestId: true,
      },
    });
    // The throttled DescribeZones was retried.
    expect(emulator.requests.filter((request) => request.action === 'DescribeZones')).toHaveLength(2);
  }, 60_000);
});
