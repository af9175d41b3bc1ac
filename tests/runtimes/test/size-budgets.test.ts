import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { initialOutputs } from './esbuild-split';
import { viteSplit } from './vite-split';

// Footprint budgets, enforced: bytes are deterministic, so unlike speed they can fail a test.
interface Budget {
  entry: string;
  platform: 'browser' | 'node';
  gzipBytes: number;
  targetGzipBytes?: number;
  /**
   * Measure the initial chunks of a code-split build (the entry's chunk and every chunk it imports
   * statically; chunks behind a dynamic `import()` are listed, not counted), with this bundler.
   * Without it: one esbuild bundle, no splitting.
   */
  split?: 'esbuild' | 'vite';
  /** At most this many bytes above another budget's measured size (e.g. typed vs untyped). */
  atMostAbove?: { readonly budget: string; readonly bytes: number };
}
const { budgets } = JSON.parse(readFileSync(new URL('../size-budgets.json', import.meta.url), 'utf8')) as {
  budgets: Record<string, Budget>;
};
const here = fileURLToPath(new URL('.', import.meta.url));

/** One output file of a build: its name, gzip size, and whether the entry loads it up front. */
interface Chunk {
  readonly name: string;
  readonly gzip: number;
  readonly initial: boolean;
}

async function esbuildChunks(budget: Budget, splitting: boolean): Promise<Chunk[]> {
  const outdir = resolve(here, 'size-out'); // never written (write: false); names the chunks
  const result = await build({
    stdin: { contents: budget.entry, resolveDir: here, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting,
    outdir,
    metafile: true,
    platform: budget.platform,
    // Node built-ins stay imports on Node; in a browser bundle they would be an error.
    external: budget.platform === 'node' ? ['node:*'] : [],
    write: false,
    logLevel: 'silent',
  });
  const key = (path: string) => relative(process.cwd(), path);
  const { initial } = initialOutputs(result.metafile.outputs);
  return result.outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => ({
      name: file.path.slice(outdir.length + 1),
      gzip: gzipSync(file.contents).length,
      initial: initial.has(key(file.path)),
    }));
}

/** Vite's production build (Rolldown under it), the entry as a virtual module. */
async function viteChunks(budget: Budget): Promise<Chunk[]> {
  const { chunks, initial } = await viteSplit(budget.entry);
  return chunks.map((chunk) => ({
    name: chunk.fileName,
    gzip: gzipSync(chunk.code).length,
    initial: initial.has(chunk.fileName),
  }));
}

/** Gzip bytes a page downloads before the code runs: each initial file compressed on its own, summed. */
async function gzipSize(budget: Budget, name: string): Promise<number> {
  const chunks = budget.split === 'vite' ? await viteChunks(budget) : await esbuildChunks(budget, !!budget.split);
  if (budget.split) {
    const list = (initial: boolean) =>
      chunks
        .filter((chunk) => chunk.initial === initial)
        .map((chunk) => `${chunk.name} ${chunk.gzip}`)
        .join(', ');
    console.log(`size ${name}: initial [${list(true)}]; loaded on demand [${list(false)}]`);
  }
  return chunks.filter((chunk) => chunk.initial).reduce((sum, chunk) => sum + chunk.gzip, 0);
}

describe('size budgets (minified + gzip)', () => {
  it.each(Object.entries(budgets))(
    '%s',
    async (name, budget) => {
      const gzip = await gzipSize(budget, name);
      const target =
        budget.targetGzipBytes === undefined
          ? ''
          : `, target ${budget.targetGzipBytes}${gzip <= budget.targetGzipBytes ? ' met' : ' NOT met'}`;
      console.log(`size ${name}: ${gzip} bytes gzip (budget ${budget.gzipBytes}${target})`);
      expect(gzip).toBeLessThanOrEqual(budget.gzipBytes);
      if (budget.atMostAbove) {
        const other = budgets[budget.atMostAbove.budget];
        if (!other) throw new Error(`${name}: no budget named ${budget.atMostAbove.budget}`);
        const base = await gzipSize(other, budget.atMostAbove.budget);
        console.log(
          `size ${name}: ${gzip - base} bytes above ${budget.atMostAbove.budget} (at most ${budget.atMostAbove.bytes})`,
        );
        expect(gzip - base).toBeLessThanOrEqual(budget.atMostAbove.bytes);
      }
    },
    60_000,
  );
});
