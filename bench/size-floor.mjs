// What a browser downloads first for `createClient` + one call (Vite 8, as the size budget in
// tests/runtimes measures it), what it is made of, and how far moving code behind import() could
// take it: the same bytes without their message texts, and only the code one successful call
// runs (V8 block coverage), by source file. Run after a build: `npm run bench:size -w @x/bench`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import remapping from '@jridgewell/remapping';
import { decode } from '@jridgewell/sourcemap-codec';
import { build, parseAst } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const entry =
  "import { createClient } from '@x/client'; createClient({ service: 'cvm', version: '2017-03-12', credentials: { secretId: 'a', secretKey: 'b' } }).call('DescribeRegions').then(console.log);";
const TARGET = 8192;
/** Texts longer than this are messages, hints and header names; shorter ones are mostly code (`'abort'`, `'POST'`). */
const TEXT_CHARS = 8;

const id = '\0size-entry.js';
const built = await build({
  root: here,
  configFile: false,
  logLevel: 'silent',
  plugins: [
    {
      name: 'size-entry',
      resolveId: (source) => (source === 'size-entry' ? id : undefined),
      load: (source) => (source === id ? entry : undefined),
    },
  ],
  build: { write: false, minify: true, sourcemap: true, modulePreload: false, rollupOptions: { input: 'size-entry' } },
});
const chunks = (Array.isArray(built) ? built : [built]).flatMap((o) => o.output).filter((f) => f.type === 'chunk');
const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
const initial = [];
const stack = [chunks.find((chunk) => chunk.isEntry).fileName];
for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
  if (initial.some((chunk) => chunk.fileName === name)) continue;
  const chunk = byName.get(name);
  initial.push(chunk);
  stack.push(...chunk.imports);
}

/** gzip bytes of a chunk's code as a build without source maps writes it (no sourceMappingURL comment). */
const gzip = (text) => gzipSync(text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '')).length;
/** The chunk's code with the contents of every string and template text over TEXT_CHARS removed. */
function withoutTexts(code) {
  const cuts = [];
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.type === 'Literal' && typeof node.value === 'string' && node.end - node.start - 2 > TEXT_CHARS)
      cuts.push([node.start + 1, node.end - 1]);
    if (node.type === 'TemplateElement' && node.end - node.start > TEXT_CHARS) cuts.push([node.start, node.end]);
    for (const key in node) if (key !== 'type' && key !== 'start' && key !== 'end') visit(node[key]);
  };
  visit(parseAst(code));
  let out = code;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
  return out;
}

/**
 * The initial chunks' code that one successful call runs, by V8's block coverage: the chunks are
 * written to a temporary folder and imported here, with a fetch that answers the call (a
 * measurement, nothing leaves the process). Code that did not run (checks of bad input, error
 * paths, retries, options not given) is cut out: what remains is what no lazy loading can remove.
 */
async function ranCode() {
  const dir = mkdtempSync(join(tmpdir(), 'x-size-floor-'));
  const session = new Session();
  const realFetch = globalThis.fetch;
  try {
    for (const chunk of chunks) writeFileSync(join(dir, chunk.fileName.replace(/^.*\//, '')), chunk.code);
    globalThis.fetch = async () =>
      new Response('{"Response":{"RegionSet":[],"TotalCount":0,"RequestId":"r-1"}}', {
        headers: { 'content-type': 'application/json' },
      });
    // The entry logs the call's answer: console.log is the answer's way out.
    const logged = new Promise((resolve) => (console.log = resolve));
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    await import(pathToFileURL(join(dir, initial[0].fileName.replace(/^.*\//, ''))).href);
    const answer = await logged;
    if (answer?.RequestId !== 'r-1') throw new Error(`the call did not succeed: ${JSON.stringify(answer)}`);
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const ran = new Map();
    for (const script of result) {
      const chunk = initial.find((c) => script.url.endsWith(`/${c.fileName.replace(/^.*\//, '')}`));
      if (chunk === undefined) continue;
      // Ranges nest: filled outermost first, so a block's count overrides its function's. (In
      // Node, not a browser: a few branches differ, such as reading TENCENTCLOUD_REGION.)
      const counts = new Uint32Array(chunk.code.length).fill(1);
      const ranges = script.functions.flatMap((fn) => fn.ranges);
      ranges.sort((a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset));
      for (const range of ranges) counts.fill(range.count, range.startOffset, range.endOffset);
      ran.set(chunk, counts);
    }
    return ran;
  } finally {
    globalThis.fetch = realFetch;
    session.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

const consoleLog = console.log;
const ran = await ranCode().finally(() => (console.log = consoleLog));
/** withoutTexts for code that no longer parses (cut by coverage): string and template texts by pattern. */
function withoutTextsLoose(code) {
  return code.replace(/(["'`])((?:\\.|(?!\1)[^\\$])*)\1/g, (whole, quote, text) =>
    text.length > TEXT_CHARS ? quote + quote : whole,
  );
}

const total = initial.reduce((sum, chunk) => sum + gzip(chunk.code), 0);
const bare = initial.reduce((sum, chunk) => sum + gzip(withoutTexts(chunk.code)), 0);
const lazy = chunks.filter((chunk) => !initial.includes(chunk));
const fmt = (n) => n.toLocaleString('en-US');
console.log(`createClient + one call, Vite ${(await import('vite')).version}, minified + gzip:`);
console.log(`  initial chunks (${initial.length}): ${fmt(total)} B (target ${fmt(TARGET)})`);
console.log(`  the same without any text over ${TEXT_CHARS} characters: ${fmt(bare)} B`);
/** The chunk's code without the bytes `drop(i)` names, copied run by run. */
function keptCode(chunk, drop) {
  let out = '';
  for (let start = 0; start < chunk.code.length;) {
    let end = start;
    while (end < chunk.code.length && drop(end) === drop(start)) end++;
    if (!drop(start)) out += chunk.code.slice(start, end);
    start = end;
  }
  return out;
}
/** The part of a chunk's code that ran (coverage offsets count UTF-16 units, as string indices do). */
function ranText(chunk) {
  const counts = ran.get(chunk);
  return keptCode(chunk, (i) => !(counts[i] > 0));
}
const ranBytes = initial.reduce((sum, chunk) => sum + gzip(ranText(chunk)), 0);
const ranBare = initial.reduce((sum, chunk) => sum + gzip(withoutTextsLoose(ranText(chunk))), 0);
console.log(`  only the code one successful call runs (V8 block coverage): ${fmt(ranBytes)} B`);
console.log(`  that code without its texts over ${TEXT_CHARS} characters: ${fmt(ranBare)} B`);
console.log(`  loaded on demand: ${lazy.length} chunks, ${fmt(lazy.reduce((s, c) => s + gzip(c.code), 0))} B`);

// Minified bytes by source file: each chunk's map, chained through the packages' dist maps back
// to their src/*.ts; the bytes between two mapped points count for the first one's source.
/** For each byte of the chunk's code, the source file it came from (`transport/src/retry.ts`), `(unmapped)` or undefined. */
function sourcesOf(chunk) {
  // The chunk's sources are relative to where Vite would write it (dist/assets/ under the root).
  const map = remapping(chunk.map, (file) => {
    const path = fileURLToPath(new URL(file, new URL(`dist/${chunk.fileName}`, `file://${here}`)));
    return file.endsWith('.js') && existsSync(`${path}.map`) ? readFileSync(`${path}.map`, 'utf8') : null;
  });
  const names = map.sources.map((source) => source.replace(/^.*?packages\//, '').replace(/^.*node_modules\//, ''));
  const lines = chunk.code.split('\n');
  // Bytes before a line's first mapping point belong to no source (undefined): they are not counted.
  const at = new Array(chunk.code.length).fill(undefined);
  let offset = 0;
  decode(map.mappings).forEach((segments, line) => {
    segments.forEach((segment, index) => {
      const end = index + 1 < segments.length ? segments[index + 1][0] : lines[line].length;
      at.fill(segment.length > 1 ? names[segment[1]] : '(unmapped)', offset + segment[0], offset + end);
    });
    offset += lines[line].length + 1;
  });
  return at;
}
const sources = new Map(initial.map((chunk) => [chunk, sourcesOf(chunk)]));
const bySource = new Map();
for (const chunk of initial) {
  const counts = ran.get(chunk);
  sources.get(chunk).forEach((name, i) => {
    if (name === undefined) return;
    const bytes = bySource.get(name) ?? { all: 0, ran: 0 };
    bytes.all++;
    if (counts[i] > 0) bytes.ran++;
    bySource.set(name, bytes);
  });
}
const modules = [...bySource].sort((a, b) => b[1].all - a[1].all);
const sum = (list, key) => list.reduce((total, [, bytes]) => total + bytes[key], 0);
console.log(
  `\ninitial code by source file, minified bytes (${fmt(sum(modules, 'all'))} mapped, ${fmt(sum(modules, 'ran'))} of them run by one successful call):`,
);
console.log(`     all     ran  not run  file`);
const row = (all, ranBytes, name) =>
  console.log(`  ${fmt(all).padStart(6)}  ${fmt(ranBytes).padStart(6)}  ${fmt(all - ranBytes).padStart(7)}  ${name}`);
for (const [name, bytes] of modules.slice(0, 30)) row(bytes.all, bytes.ran, name);
if (modules.length > 30)
  row(sum(modules.slice(30), 'all'), sum(modules.slice(30), 'ran'), `(${modules.length - 30} smaller ones)`);

// What moving code behind import() could reach, by group of files: the initial chunks with the
// bytes that one successful call does not run cut out of those files only. An upper bound of each
// move's gain: the code that would load the moved part, and what a successful call must still keep
// of it, are not counted.
/** What a successful call does not run, when the network fails or the server answers an error: retries, error classes' forms, odd bodies. */
const FAILURE_PATH = [
  'transport/src/retry.ts',
  'transport/src/execute.ts',
  'transport/src/skew.ts',
  'transport/src/deadline.ts',
  'transport/src/attempt.ts',
  'transport/src/fetch-sender.ts',
  'transport/src/signals.ts',
  'transport/src/logger.ts',
  'envelope/src/read-body.ts',
  'envelope/src/load-part.ts',
  'client/src/load-part.ts',
  'errors/src/tencent-cloud-error.ts',
  'errors/src/timeout-error.ts',
  'errors/src/network-error.ts',
  'errors/src/credentials-error.ts',
  'errors/src/guards.ts',
  'errors/src/match.ts',
  'errors/src/texts.ts',
];
/** What refuses bad options and input, synchronously in createClient or at a call: UsageErrors and their messages. */
const CHECKS = [
  'transport/src/endpoint.ts',
  'transport/src/build-request.ts',
  'transport/src/transport.ts',
  'transport/src/resolve-call.ts',
  'transport/src/credentials-source.ts',
  'transport/src/plain-params.ts',
  'transport/src/request-headers.ts',
  'transport/src/call.ts',
  'credentials/src/credentials.ts',
  'credentials/src/region.ts',
  'client/src/client.ts',
  'client/src/region-config.ts',
  'client/src/call-options.ts',
  'errors/src/usage-error.ts',
];
function withoutNotRun(chunk, group) {
  const counts = ran.get(chunk);
  const at = sources.get(chunk);
  return keptCode(chunk, (i) => !(counts[i] > 0) && group.has(at[i]));
}
console.log('\nwhat moving the code one successful call does not run could reach, by group (gzip, an upper bound):');
for (const [label, files] of [
  ['the failure path', FAILURE_PATH],
  ['the checks of options and input', CHECKS],
  ['both', [...FAILURE_PATH, ...CHECKS]],
]) {
  const group = new Set(files);
  const bytes = initial.reduce((total, chunk) => total + gzip(withoutNotRun(chunk, group)), 0);
  console.log(`  ${label}: ${fmt(bytes)} B (${fmt(bytes - total)})`);
}
