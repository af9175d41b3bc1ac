import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run bench` is not part of the test command (it takes minutes and its figures are not
// asserted), so this keeps it from rotting: every benchmark client does a few real calls against
// the benchmark's own loopback server and reports keep-alive working.
const bench = (file: string) => fileURLToPath(new URL(`../../../bench/${file}`, import.meta.url));
// The same list `run.mjs` measures, read from it so the two cannot drift apart.
const listed = /const clients = (\[[^\]]*\]);/.exec(readFileSync(bench('run.mjs'), 'utf8'))?.[1];
const clients = JSON.parse(listed?.replaceAll("'", '"') ?? '[]') as string[];
it('finds the list of benchmark clients in run.mjs', () => {
  expect(clients).toContain('official');
  expect(clients.length).toBeGreaterThanOrEqual(5);
});

interface BenchLine {
  name: string;
  calls: number;
  cpuUsPerRequest: number;
  requestsPerSecond: number;
  newConnections: number;
}

let server: ReturnType<typeof fork>;
let port: number;
beforeAll(async () => {
  server = fork(bench('server.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
});
afterAll(() => {
  server.kill();
});

function runClient(name: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bench('client.mjs'), name, '2', '30', String(port)]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the benchmark clients run', () => {
  it.each(clients)(
    '%s: real calls against the bench server, no new connection after warm-up',
    async (name) => {
      const run = await runClient(name);
      expect(run.status, run.stderr).toBe(0);
      const line = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as BenchLine;
      expect(line).toMatchObject({ name, calls: 30, newConnections: 0 });
      expect(line.cpuUsPerRequest).toBeGreaterThan(0);
      expect(line.requestsPerSecond).toBeGreaterThan(0);
    },
    30_000,
  );
});
