import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index';
import { inMutationRun } from '@x/test-support';
import { client, cvm } from './helpers';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Starts the built command; resolves once it printed its banner. */
async function startCli(args: string[] = []) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build -w @x/emulator\` before these tests`);
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('services:')) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${text}`)));
  });
  const url = /listening on (http:\/\/[\w.]+:\d+)/.exec(output)?.[1];
  const secretId = /TENCENTCLOUD_SECRET_ID=(\S+)/.exec(output)?.[1];
  const secretKey = /TENCENTCLOUD_SECRET_KEY=(\S+)/.exec(output)?.[1];
  if (!url || !secretId || !secretKey) throw new Error(`unexpected banner: ${output}`);
  const port = Number(new URL(url).port);
  return {
    child,
    exited,
    output,
    emulator: { url, port, credentials: { secretId, secretKey } } as unknown as Emulator,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(inMutationRun)('the x-emulator command', () => {
  it('starts, prints the URL and credentials, serves calls, and stops on SIGTERM', async () => {
    const { child, exited, emulator } = await startCli();
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await cvm(emulator).call('DescribeRegions')).data['TotalCount']).toBe(20);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('listens on --port and --host localhost, and stops on SIGINT', async () => {
    const port = await freePort();
    const { child, exited, emulator } = await startCli(['--port', String(port), '--host', 'localhost', '--cors']);
    expect(emulator.url).toBe(`http://localhost:${port}`);
    expect((await cvm(emulator).call('DescribeInstances', { Limit: 1 })).data['TotalCount']).toBe(50);
    const preflight = await fetch(emulator.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('--seed sets the synthesized answers, --no-validate lets unknown params through', async () => {
    const { child, exited, output, emulator } = await startCli(['--seed', '42', '--no-validate']);
    expect(output).toContain('seed 42, params not validated');
    const inProcess = await startEmulator({ seed: 42 });
    const call = (e: Emulator) =>
      client(e, 'cbs', '2017-03-12')
        .call('DescribeDisks', { Limit: 2 })
        .then((r) => ({ ...r.data, RequestId: '' }));
    expect(await call(emulator)).toEqual(await call(inProcess));
    expect((await cvm(emulator).call('DescribeInstances', { Limt: 1 })).data['TotalCount']).toBe(50);
    await inProcess.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 1 with a one-line message when the port is taken', async () => {
    const taken = await startEmulator();
    const child = spawn(process.execPath, [cli, '--port', String(taken.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    await taken.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(/^x-emulator: .*EADDRINUSE.*\n$/);
  });

  it.each([
    [['--host', '0.0.0.0'], '127.0.0.1 or localhost'],
    [['--port', 'eighty'], '--port must be a port number'],
    [['--verbose'], 'Unknown option'],
    [['--seed', 'x'], '--seed must be an integer'],
  ])('refuses %j with exit code 2', async (args, message) => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build -w @x/emulator\` before these tests`);
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('CORS', () => {
  it('answers preflights and exposes the RequestId header when enabled', async () => {
    const emulator = await startEmulator({ cors: true });
    const preflight = await fetch(emulator.url, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-tc-action',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization.*X-TC-Action/);
    await cvm(emulator).call('DescribeRegions');
    const answer = await fetch(emulator.url, { method: 'POST', body: '{}' });
    expect(answer.headers.get('access-control-expose-headers')).toContain('X-TC-RequestId');
    await emulator.close();
  });

  it('names one origin when given one, and varies on Origin', async () => {
    const emulator = await startEmulator({ cors: { origin: 'http://localhost:5173' } });
    const preflight = await fetch(emulator.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('vary')).toBe('Origin');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type.*X-TC-Timestamp.*X-TC-Token/);
    const answer = await cvm(emulator).call('DescribeRegions');
    expect(answer.httpStatus).toBe(200);
    const raw = await fetch(emulator.url, { method: 'POST', body: '{}' });
    expect(raw.headers.get('access-control-expose-headers')).toBe('X-TC-RequestId, X-TC-TraceId, Date');
    await emulator.close();
  });

  it('does not answer preflights when disabled', async () => {
    const emulator = await startEmulator();
    const preflight = await fetch(emulator.url, { method: 'OPTIONS' });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await preflight.json()) as { Response: { Error: { Code: string } } }).Response.Error.Code).toBe(
      'UnsupportedProtocol',
    );
    await emulator.close();
  });
});
