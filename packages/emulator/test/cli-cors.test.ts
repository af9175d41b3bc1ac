import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index';
import { cvm } from './helpers';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('the x-emulator command', () => {
  it.skipIf(!existsSync(cli))('starts, prints the URL and credentials, serves calls, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('services:')) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${text}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const secretId = /TENCENTCLOUD_SECRET_ID=(\S+)/.exec(output)?.[1];
    const secretKey = /TENCENTCLOUD_SECRET_KEY=(\S+)/.exec(output)?.[1];
    expect(url && secretId && secretKey).toBeTruthy();
    const emulatorLike = { url: url!, credentials: { secretId: secretId!, secretKey: secretKey! } } as Parameters<typeof cvm>[0];
    expect((await cvm(emulatorLike).call('DescribeRegions')).data['TotalCount']).toBe(20);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it.skipIf(!existsSync(cli))('refuses a host beyond the loopback', async () => {
    const child = spawn(process.execPath, [cli, '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('127.0.0.1 or localhost');
  });
});

describe('CORS', () => {
  it('answers preflights and exposes the RequestId header when enabled', async () => {
    const emulator = await startEmulator({ cors: true });
    const preflight = await fetch(emulator.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-tc-action' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization.*X-TC-Action/);
    await cvm(emulator).call('DescribeRegions');
    const answer = await fetch(emulator.url, { method: 'POST', body: '{}' });
    expect(answer.headers.get('access-control-expose-headers')).toContain('X-TC-RequestId');
    await emulator.close();
  });

  it('does not answer preflights when disabled', async () => {
    const emulator = await startEmulator();
    const preflight = await fetch(emulator.url, { method: 'OPTIONS' });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await preflight.json()) as { Response: { Error: { Code: string } } }).Response.Error.Code).toBe('UnsupportedProtocol');
    await emulator.close();
  });
});
