import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Footprint budgets, enforced: bytes are deterministic, so unlike speed they can fail a test.
interface Budget {
  entry: string;
  platform: 'browser' | 'node';
  gzipBytes: number;
  targetGzipBytes?: number;
  /** At most this many bytes above another budget's measured size (e.g. typed vs untyped). */
  atMostAbove?: { readonly budget: string; readonly bytes: number };
}
const { budgets } = JSON.parse(readFileSync(new URL('../size-budgets.json', import.meta.url), 'utf8')) as {
  budgets: Record<string, Budget>;
};

async function gzipSize(budget: Budget): Promise<number> {
  const result = await build({
    stdin: { contents: budget.entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: budget.platform,
    // Node built-ins stay imports on Node; in a browser bundle they would be an error.
    external: budget.platform === 'node' ? ['node:*'] : [],
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents).length;
}

describe('size budgets (minified + gzip)', () => {
  it.each(Object.entries(budgets))('%s', async (name, budget) => {
    const gzip = await gzipSize(budget);
    const target =
      budget.targetGzipBytes === undefined
        ? ''
        : `, target ${budget.targetGzipBytes}${gzip <= budget.targetGzipBytes ? ' met' : ' NOT met'}`;
    console.log(`size ${name}: ${gzip} bytes gzip (budget ${budget.gzipBytes}${target})`);
    expect(gzip).toBeLessThanOrEqual(budget.gzipBytes);
    if (budget.atMostAbove) {
      const other = budgets[budget.atMostAbove.budget];
      if (!other) throw new Error(`${name}: no budget named ${budget.atMostAbove.budget}`);
      const base = await gzipSize(other);
      console.log(
        `size ${name}: ${gzip - base} bytes above ${budget.atMostAbove.budget} (at most ${budget.atMostAbove.bytes})`,
      );
      expect(gzip - base).toBeLessThanOrEqual(budget.atMostAbove.bytes);
    }
  });
});
