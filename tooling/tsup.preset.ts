import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

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
  return wholeFiles(entry, {
    outDir: 'dist/node',
    external: [/^node:/],
    ...(nodeTwins ? { tsconfig: 'tsconfig.node.json' } : {}),
    ...own,
  });
}

/** ESM files, one whole file per entry (no shared chunks), without types: what nodeFiles and lazyParts write. */
function wholeFiles(entry: Record<string, string>, own: Options): Options {
  return {
    entry,
    format: ['esm'],
    splitting: false,
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
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

/**
 * Lazy parts as files of their own, for the ESM build a browser bundler splits. A part is a source
 * file the package loads by `import()` at first need (`'request-parts': 'src/request-parts.ts'`)
 * whose code the package's index also exports statically (`serializeParams`). In a code-split dist
 * both would share one chunk, and esbuild (and Bun's bundler) put a file that an entry re-exports
 * in the first download even when nothing uses the export (evanw/esbuild#3704): every such part
 * was up front. So the split build leaves each part's `import()` alone, pointing at
 * `dist/lazy/<name>.js`, and its `files` build writes those files, each whole (its own copy of the
 * modules it needs; other packages stay imports). A bundle that uses the export and loads the part
 * holds the code twice, once up front and once in the part's chunk; one that does not, once.
 * Parts must not keep state or classes that the rest of the package shares: a copy has its own.
 *
 * The split build also takes each part as a build-only entry (`split/<name>`, no export, no
 * types): then the part's own copy there stays a dist file apart from the code every call runs,
 * so a bundler drops it whole when nothing uses its exports (`sideEffects: false`). Merged into
 * the file of the code every call runs, its top-level statements (esbuild's namespace objects,
 * `new Set`) would come along into every first download (Rolldown keeps them).
 */
export function lazyParts(configUrl: string, parts: Record<string, string>) {
  const root = dirname(fileURLToPath(configUrl));
  const byPath = new Map(Object.entries(parts).map(([name, file]) => [resolve(root, file).replace(/\.ts$/, ''), name]));
  /** Points each part's `import()` at its file; `from` is where that file is, seen from the importing file. */
  const plugin = (from: string): EsbuildPlugin => ({
    name: 'lazy-parts',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const name = byPath.get(resolve(args.resolveDir, args.path).replace(/\.(?:ts|js)$/, ''));
        return name === undefined ? undefined : { path: `${from}${name}.js`, external: true };
      });
    },
  });
  return {
    /** The parts as build-only entries of the ESM build that splits (see above): add them to its entries, not to its types. */
    splitEntries: Object.fromEntries(Object.entries(parts).map(([name, file]) => [`split/${name}`, file])),
    /** For the ESM build that splits: its chunks are written to dist/, the parts to dist/lazy/. */
    splitBuild: plugin('./lazy/'),
    /** The parts' files: ESM, one whole file each (no shared chunks), without types; a part's own `import()` of another part stays one. */
    files: (own: Options = {}): Options =>
      wholeFiles(Object.fromEntries(Object.entries(parts).map(([name, file]) => [`lazy/${name}`, file])), {
        esbuildPlugins: [plugin('./')],
        ...own,
      }),
  };
}
