import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@x/emulator';
import { binary, expected, here, onCi, report, run, smokeHandlers } from './runtime-support';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ handlers: smokeHandlers });
});
afterAll(() => emulator.close());

const runtimes = [
  { name: 'Bun', bin: binary('@oven/bun-linux-x64/bin/bun', 'bun/bin/bun.exe'), args: ['smoke/cli.mjs'] },
  {
    name: 'Deno',
    bin: binary('@deno/linux-x64-glibc/deno'),
    args: ['run', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', 'smoke/cli.mjs'],
  },
];

describe.each(runtimes)('$name', ({ name, bin, args }) => {
  it('runs the smoke program against the emulator: call, typed error, stream', async (ctx) => {
    if (bin === undefined) {
      report(name, 'SKIPPED: its npm package (binary) is not installed on this machine');
      if (onCi) throw new Error(`${name} is not installed; CI must run it`);
      ctx.skip();
    }
    const { stdout: version } = await run(bin!, ['--version']);
    const { stdout } = await run(bin!, args, {
      cwd: here,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        ENDPOINT: emulator.url,
        SECRET_ID: emulator.credentials.secretId,
        SECRET_KEY: emulator.credentials.secretKey,
        NO_COLOR: '1',
        DENO_NO_UPDATE_CHECK: '1',
      },
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(expected);
    report(name, `passed (${version.trim().split('\n')[0]})`);
  });
});
