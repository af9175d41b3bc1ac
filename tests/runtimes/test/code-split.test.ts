import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@x/emulator';
import { initialOutputs } from './esbuild-split';
import { expected, here, run, smokeHandlers } from './runtime-support';

// The browser build, code-split as a user's bundler makes it (esbuild, splitting, browser
// conditions), run as ES modules by Node (fetch and WebCrypto: what a browser has) against the
// emulator. The error texts, the SSE parser and the streaming code are separate chunks fetched by
// `import()`: the smoke program, a typed error with its hint, and a stream all still work.
let emulator: Emulator;
let outdir: string;
beforeAll(async () => {
  emulator = await startEmulator({ handlers: smokeHandlers });
  outdir = mkdtempSync(join(tmpdir(), 'x-split-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(outdir, { recursive: true, force: true });
});

const entry = `
import { smoke } from './smoke/smoke.mjs';
import { createClient } from '@x/client';
const env = process.env;
const result = await smoke(env);
const cvm = createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint: env.ENDPOINT,
  credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY }, retry: false });
try { await cvm.call('DescribeInstances', { Limit: 1000 }); } catch (err) { result.hint = err.hint; result.message = err.message; }
console.log(JSON.stringify(result));
`;

describe('a code-split browser build', () => {
  it('loads texts and streaming on demand: call, typed error with hint, stream', async () => {
    const built = await build({
      stdin: { contents: entry, resolveDir: here, loader: 'js', sourcefile: 'entry.js' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser'],
      outdir,
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = built.metafile.outputs;
    const { entry: entryPath, initial } = initialOutputs(outputs);
    // The texts and the SSE parser are chunks of their own, outside what the page loads first.
    for (const lazy of [/common-texts/, /event-source/, /stream-call/]) {
      const chunk = Object.keys(outputs).find((path) => lazy.test(path));
      expect(chunk, String(lazy)).toBeDefined();
      expect(initial.has(chunk!), String(lazy)).toBe(false);
    }
    const { stdout } = await run(process.execPath, [resolve(entryPath)], {
      env: {
        ...process.env,
        ENDPOINT: emulator.url,
        SECRET_ID: emulator.credentials.secretId,
        SECRET_KEY: emulator.credentials.secretKey,
      },
    });
    const result = JSON.parse(stdout) as typeof expected & { hint?: string; message?: string };
    expect(result).toMatchObject(expected);
    expect(result.hint).toMatch(/\w/);
    expect(result.message).toContain(`Hint: ${result.hint}`);
  }, 60_000);
});
