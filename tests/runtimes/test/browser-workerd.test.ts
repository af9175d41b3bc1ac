import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@x/emulator';
import { binary, expected, here, onCi, report, smokeHandlers } from './runtime-support';

const CHROMIUM = '/usr/bin/chromium';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ cors: true, handlers: smokeHandlers });
});
afterAll(() => emulator.close());

/** Bundles a smoke entry the way a user's bundler would for that platform. */
async function bundle(entry: string, conditions: string[]): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'smoke', entry)],
    bundle: true,
    platform: 'browser',
    conditions,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  // The browser and Workers bundles must not pull in any Node built-in.
  expect(code).not.toMatch(/\bfrom ["']node:|require\(["']node:/);
  return code;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('a real browser (Debian Chromium, headless, via playwright-core)', () => {
  let page: Server;
  beforeAll(async () => {
    const script = await bundle('browser.mjs', ['browser']);
    page = createServer((req, res) => {
      if (req.url === '/smoke.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        return;
      }
      const env = {
        ENDPOINT: emulator.url,
        SECRET_ID: emulator.credentials.secretId,
        SECRET_KEY: emulator.credentials.secretKey,
      };
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><meta charset="utf-8"><script>window.SMOKE_ENV = ${JSON.stringify(env)};</script><script type="module" src="/smoke.js"></script>`,
      );
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => page.close(r)));

  it('calls the emulator from a page: call, typed error, stream', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      report('Chromium', `SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium)`);
      if (onCi) throw new Error('Chromium is not installed; .ci/run installs it');
      ctx.skip();
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // No background networking: this machine's network is closed.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
      await tab.waitForFunction(() => 'smokeResult' in window || 'smokeError' in window, undefined, {
        timeout: 30_000,
      });
      const outcome = await tab.evaluate(() => ({
        result: (window as { smokeResult?: unknown }).smokeResult,
        error: (window as { smokeError?: string }).smokeError,
      }));
      expect(outcome.error, errors.join('\n')).toBeUndefined();
      expect(outcome.result).toEqual(expected);
      report('Chromium', `passed (${browser.version()})`);
    } finally {
      await browser.close();
    }
  });
});

describe('Cloudflare Workers (workerd)', () => {
  it('calls the emulator from a worker: call, typed error, stream', async (ctx) => {
    const workerd = binary('@cloudflare/workerd-linux-64/bin/workerd');
    if (workerd === undefined) {
      report('workerd', 'SKIPPED: its npm package (binary) is not installed on this machine');
      if (onCi) throw new Error('workerd is not installed');
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'x-workerd-'));
    writeFileSync(join(dir, 'worker.js'), await bundle('worker.mjs', ['workerd', 'worker', 'browser']));
    const port = await freePort();
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smokeWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`,
    );
    const child = spawn(workerd!, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stdout.on('data', (c: Buffer) => (logs += c.toString()));
    child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
    try {
      const query = new URLSearchParams({
        ENDPOINT: emulator.url,
        SECRET_ID: emulator.credentials.secretId,
        SECRET_KEY: emulator.credentials.secretKey,
      });
      let response: Response | undefined;
      for (let i = 0; i < 100 && response === undefined; i++) {
        response = await fetch(`http://127.0.0.1:${port}/?${query}`).catch(() => undefined);
        if (response === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(response, logs).toBeDefined();
      const text = await response!.text();
      expect(response!.status, text + logs).toBe(200);
      expect(JSON.parse(text)).toEqual(expected);
      const { version } = (await import('workerd/package.json', { with: { type: 'json' } })).default as {
        version: string;
      };
      report('workerd', `passed (workerd ${version})`);
    } finally {
      child.kill();
    }
  });
});
