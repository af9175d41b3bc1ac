import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The x-emulator command run in this process (cli-cors.test.ts runs the built one as a child
// process): argv in, what it prints and the exit code out. process.exit is recorded; exit 2 (a bad
// argument, in the middle of main) also throws, so main stops there as the real one would; its
// catch then records one more exit (1), which the tests ignore.

let out: string[];
let err: string[];
let exits: number[];
const argv = process.argv;

beforeEach(() => {
  out = [];
  err = [];
  exits = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code ?? 0);
    if (code === 2) throw new Error('exited');
  }) as typeof process.exit);
});
afterEach(() => {
  process.argv = argv;
  vi.restoreAllMocks();
});

async function cli(...args: string[]): Promise<void> {
  process.argv = ['node', 'x-emulator', ...args];
  vi.resetModules();
  await import('../src/cli');
  await vi.waitFor(() => {
    if (exits.length === 0 && out.length === 0) throw new Error('still running');
  });
}

describe('x-emulator (in process)', () => {
  it('--help prints the usage and exits normally', async () => {
    await cli('--help');
    expect(out.join('')).toMatch(
      /^Usage: x-emulator \[--port <n>\] \[--host 127\.0\.0\.1\|localhost\] \[--cors\] \[--seed <n>\] \[--no-validate\]\n/,
    );
    expect(out.join('')).toContain('--no-validate    accept any params');
    expect(exits).toEqual([]);
    expect(err).toEqual([]);
  });

  it('an unknown flag: the parser message, then the usage, exit 2', async () => {
    await cli('--nope');
    expect(exits[0]).toBe(2);
    expect(err[0]).toMatch(/^Unknown option '--nope'.*\n\nUsage: x-emulator/s);
  });

  it('refuses a host beyond the loopback, a bad port and a bad seed, exit 2', async () => {
    await cli('--host', '0.0.0.0');
    expect([exits[0], err[0]]).toEqual([
      2,
      '--host must be 127.0.0.1 or localhost: the emulator never listens beyond the loopback.\n',
    ]);
    for (const port of ['65536', '-1', '1.5', 'http']) {
      exits = [];
      err = [];
      await cli(`--port=${port}`);
      expect([exits[0], err[0]]).toEqual([2, `--port must be a port number, got ${port}\n`]);
    }
    for (const seed of ['1.5', 'x', '99999999999999999999', '1e3']) {
      exits = [];
      err = [];
      await cli(`--seed=${seed}`);
      expect([exits[0], err[0]]).toEqual([2, `--seed must be an integer, got ${seed}\n`]);
    }
  });

  it('starts, prints where it listens, the credentials and its settings, and stops on SIGINT', async () => {
    const before = process.listeners('SIGINT');
    await cli('--seed=-7', '--no-validate', '--cors', '--host', 'localhost');
    const text = out.join('');
    const url = /^x-emulator listening on (http:\/\/localhost:\d+)\n/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toContain('\nTENCENTCLOUD_SECRET_ID=AKIDEMULATOR00000000000000000000\n');
    expect(text).toContain('\nTENCENTCLOUD_SECRET_KEY=emulator-secret-key-000000000000\n');
    expect(text).toContain('every other action synthesized (seed -7, params not validated)\n');
    expect(text).toMatch(/services: all 260 of @x\/services \(Ctrl\+C stops\)\n$/);
    const preflight = await fetch(`${url!}/`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    const stop = process.listeners('SIGINT').find((l) => !before.includes(l));
    expect(stop).toBeDefined();
    process.removeListener('SIGINT', stop!);
    const sigterm = process.listeners('SIGTERM').at(-1)!;
    process.removeListener('SIGTERM', sigterm);
    (stop as () => void)();
    await vi.waitFor(() => expect(exits).toEqual([0]));
    await expect(fetch(`${url!}/`, { method: 'OPTIONS' })).rejects.toThrow();
  });

  it('defaults: seed 1, params validated, no CORS; a taken port is one line and exit 1', async () => {
    await cli();
    const text = out.join('');
    expect(text).toContain('every other action synthesized (seed 1)\n');
    const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(text)!;
    const preflight = await fetch(`${url[1]!}/`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(200); // OPTIONS without --cors is a refused method
    const stop = process.listeners('SIGTERM').at(-1)!;
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', process.listeners('SIGINT').at(-1)!);
    // A second one on the same port fails to listen.
    const port = url[2]!;
    out = [];
    await cli('--port', port);
    expect(exits[0]).toBe(1);
    expect(err[0]).toMatch(/^x-emulator: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
    (stop as () => void)();
    await vi.waitFor(() => expect(exits.at(-1)).toBe(0));
  });
});
