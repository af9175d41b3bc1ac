import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeReadme, inMutationRun } from '@x/test-support';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
describeReadme(
  'README examples run as written',
  new URL('../README.md', import.meta.url),
  new URL('./.readme/', import.meta.url),
  { minExamples: 4 },
);

// The "testing your own code" block is a whole vitest file: it runs in a vitest of its own, the
// way a user's suite would, with `@x/emulator` pointing at this package's source (named .spec.ts
// so this package's own runs, which collect *.test.ts, do not pick it up a second time).
describe.skipIf(inMutationRun)('the README vitest example', () => {
  it('passes as a test file of its own', async () => {
    const text = readFileSync(readme, 'utf8');
    const block = /^```ts vitest\n([\s\S]*?)^```$/m.exec(text)?.[1];
    expect(block, 'README.md has a ```ts vitest block').toBeDefined();
    const dir = fileURLToPath(new URL('./.readme/vitest/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'example.spec.ts'), block!);
    const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { resolve: { alias: { '@x/emulator': ${JSON.stringify(source)} } }, test: { include: ['example.spec.ts'] } };\n`,
    );
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const child = spawn(
      process.execPath,
      [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter', 'verbose'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests\s+2 passed/);
  }, 60_000);
});
