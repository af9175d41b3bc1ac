import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// "createClient + one call" bundled for a browser, as a user's bundler would: with the browser
// platform esbuild refuses any Node built-in, and the output must not mention one either.
const entry = `
import { createClient } from '@x/client';
const cvm = createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', credentials: { secretId: 'AKIDEXAMPLE', secretKey: 'example' } });
cvm.call('DescribeInstances', { Limit: 1 }).then((r) => console.log(r.TotalCount));
`;

describe('@x/client in a browser bundle', () => {
  it('bundles with no Node built-in', async () => {
    const result = await build({
      stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bnode:[a-z]/);
    expect(code).not.toMatch(/require\(["'](fs|http|https|net|tls|crypto|os|path)["']\)/);
    // Reported, not asserted: the size budget (8 KB gzip) belongs to the bench issue.
    console.log(`createClient + call, browser bundle: ${code.length} bytes, ${gzipSync(code).length} bytes gzip`);
  });
});
