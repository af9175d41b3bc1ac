import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Handlers } from '@x/emulator';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const here = fileURLToPath(new URL('../', import.meta.url));
export const run = promisify(execFile);

/**
 * A runtime binary shipped inside an npm package (the first of `paths` that exists), or undefined
 * when it is not installed here. Their install scripts are not run (npm 11 skips them), so the
 * binaries are used where the packages put them.
 */
export function binary(...paths: string[]): string | undefined {
  for (const path of paths) {
    const full = fileURLToPath(new URL(`../../../node_modules/${path}`, import.meta.url));
    if (existsSync(full)) return full;
  }
  return undefined;
}

/**
 * What the output says for a runtime: one line each, so the runs on every runtime are visible in
 * the test log. On CI a missing runtime fails the test (skipping silently would prove nothing).
 */
export function report(runtime: string, outcome: string): void {
  console.log(`runtime ${runtime}: ${outcome}`);
}

export const onCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** What the smoke program answers on every runtime (`bodies`: what the handler below saw). */
export const expected = {
  TotalCount: 50,
  typedError: 'InvalidParameterValue',
  streamed: '你好！This is the emulator. You said: hi',
  bodies: 'FileURL=https://example.com/病历.pdf&File=0.255.13.10 | body=1.2.3',
};

const show = (value: unknown) => (value instanceof Uint8Array ? [...value].join('.') : String(value));
/** Handlers the smoke program's multipart and raw-body calls reach: they tell what arrived. */
export const smokeHandlers: Handlers = {
  cii: {
    UploadMedicalFile: (params, ctx) => ({
      Seen: ctx.body
        ? `body=${show(ctx.body)}`
        : Object.entries(params)
            .map(([name, value]) => `${name}=${show(value)}`)
            .join('&'),
    }),
  },
};
