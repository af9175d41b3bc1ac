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

/**
 * {@link nodeFiles} with the other @x packages inlined, each as its own "node" + "import" file: the
 * entry users start with (@x/client) then costs Node one file to resolve, read and link instead of
 * five packages. Node's ESM loader charges per package whatever its code is (callgrind, Node 20,
 * over an empty file: 5 one-line packages cost 34 M instructions, @x/client as five packages 61 M,
 * as one file 36 M), so this is most of what the cold import can lose (bench/README.md).
 * What it costs: an application that also imports @x/errors or @x/transport itself holds two
 * copies of that code. They work together: every class a user may pass from one copy to the other
 * or test with `instanceof` (the errors, RetryBudget) goes by a registered-symbol brand, and
 * changesets' updateInternalDependencies republishes @x/client, rebuilt, with every release of a
 * package it inlines. Built from the dependencies' dist, so turbo builds them first (`^build`).
 */
export function nodeBundle(entry: Record<string, string>, own: Options = {}): Options {
  return nodeFiles(entry, {
    // The inlined dist files import Node built-ins without `node:` (tsup writes them so): platform
    // 'node' keeps those external and picks each package's "node" condition.
    platform: 'node',
    noExternal: [/^@x\//],
    ...own,
  });
}

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
