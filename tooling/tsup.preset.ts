import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

// How every @x package is built. A package's tsup.config.ts names its entries and what is its own;
// the rest is here. turbo.json lists this file among the build inputs, so changing it rebuilds all.

/**
 * A library: ESM and CJS, each with its .d.ts and source maps, for ES2022 runtimes. `platform:
 * 'neutral'`, so a universal entry that imports a Node built-in fails the build instead of
 * shipping it to browsers and Workers. Entries named `*.node` are the twins the "node" exports
 * condition selects: then `node:` imports stay external, and the d.ts build, which sees both,
 * uses tsconfig.node.json (Node's types; tsconfig.json keeps them out of the universal sources).
 */
export function library(entry: Record<string, string>, own: Options = {}): Options {
  const nodeTwins = Object.keys(entry).some((name) => name.endsWith('.node'));
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    ...(nodeTwins ? { external: [/^node:/], tsconfig: 'tsconfig.node.json' } : {}),
    ...own,
  };
}

/**
 * The ESM files Node's "node" + "import" condition selects: one file per entry, no shared chunks
 * and dynamic imports inlined. Node 20's ESM loader pays ~2-3 ms per file it resolves, reads and
 * links, far more than compiling the code: the code-split build (19 files for @x/client and what it
 * imports) took 47-69 ms to import against 11-17 ms for the same code in one file. Browsers keep the
 * split build, whose chunks behind `import()` load only when used. Written to `dist/node/`; the
 * `library()` build beside it must not clean `dist` (the package's build script empties it first).
 */
export function nodeFiles(entry: Record<string, string>, own: Options = {}): Options {
  const nodeTwins = Object.keys(entry).some((name) => name.endsWith('.node'));
  return {
    entry,
    format: ['esm'],
    outDir: 'dist/node',
    splitting: false,
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external: [/^node:/],
    ...(nodeTwins ? { tsconfig: 'tsconfig.node.json' } : {}),
    ...own,
  };
}

// @x/client's Node entry, with the other packages inlined and its lazy parts as files of their
// own, is not built here: see tooling/node-bundle.mjs.

/** A command (`bin`): one ESM file for Node with its shebang. */
export function command(entry: string, own: Options = {}): Options {
  return {
    entry: { cli: entry },
    format: ['esm'],
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    ...own,
  };
}

/** The `version` of the package.json beside a config file (`import.meta.url`), read at build time. */
export function versionOf(configUrl: string): string {
  const { version } = JSON.parse(readFileSync(new URL('./package.json', configUrl), 'utf8')) as { version: string };
  return version;
}
