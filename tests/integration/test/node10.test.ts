import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./node10/tsconfig.json', import.meta.url));

describe('a `moduleResolution: node10` project', () => {
  it('resolves the subpaths (@x/client/mock, @x/services/cvm, .../errors, .../v20170312) through typesVersions, with their real types', async () => {
    // consumer.ts imports every kind of subpath and has an @ts-expect-error that only holds when
    // the types are real (an unresolved module would be `any` and make the directive unused).
    const run = await promisify(execFile)(process.execPath, [tsc, '-p', project], { maxBuffer: 8 << 20 }).then(
      () => ({ code: 0, out: '' }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? 1, out: err.stdout ?? '' }),
    );
    expect(run.out).toBe('');
    expect(run.code).toBe(0);
  }, 120_000);
});
