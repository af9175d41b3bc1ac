// @x/client's Node entry ("node" + "import": dist/node/): one file holding what an import runs, with
// @x/errors, @x/envelope, @x/transport and @x/credentials inlined, and one file per part that loads
// by import() at first use (the HTTP/1.1 client, SSE, the exact JSON parser, uploads, the default
// credential chain, streaming). Page walking and the region breaker stay in the entry: @x/client
// exports RegionBreaker and paginateItems, and an entry's exports are kept.
//
// Why Rollup and not tsup (esbuild) as for every other file: Node compiles all of a file it
// imports (callgrind, Node 20: compiling was 20 M of the 30 M instructions our 211 KB file cost),
// so the parts behind import() must be files of their own. esbuild's code splitting cannot make
// them without shared chunks (a module the entry and a lazy part both use becomes a chunk of its
// own: 12 files, each one more for the loader to resolve and link), while Rollup lets a lazy file
// import what it shares from the entry file, which is loaded by then (preserveEntrySignatures:
// 'allow-extension'). Sources, not the packages' dist: their dist/node files have their import()s
// inlined already. esbuild still transpiles each TypeScript file, as tsup does.
//
// What inlining costs (since 2026-11-30): an application that also imports @x/errors or
// @x/transport itself holds two copies of that code. They work together: every class a user may
// pass from one copy to the other or test with `instanceof` (the errors, RetryBudget) goes by a
// registered-symbol brand, and changesets' updateInternalDependencies republishes @x/client,
// rebuilt, with every release of a package it inlines. turbo builds those packages first (`^build`),
// so their build hashes, and so their sources, are part of @x/client's.
//
// Usage (a package's build script, after tsup): node ../../tooling/node-bundle.mjs src/index.ts
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { rollup } from 'rollup';

// fileURLToPath, not import.meta.dirname/filename: those need Node 20.11, the workspace allows 20.0.
const here = fileURLToPath(import.meta.url);
const packagesDir = resolve(dirname(here), '..', 'packages');

/** The source file behind a package's "node" + "import" condition (dist/node/index.node.js -> src/index.node.ts). */
function nodeSourceOf(name) {
  const dir = join(packagesDir, name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = manifest.exports['.'].node.import.default;
  const source = join(dir, 'src', `${file.replace(/^.*\//, '').replace(/\.js$/, '')}.ts`);
  if (!existsSync(source)) throw new Error(`node-bundle: no source ${source} for ${name}'s ${file}`);
  return source;
}

/** The compiler options tsup reads from tsconfig (verbatimModuleSyntax, the target's class fields), for the same output. */
function compilerOptions() {
  return JSON.parse(readFileSync(resolve(packagesDir, '..', 'tsconfig.base.json'), 'utf8')).compilerOptions;
}

/** What each package's tsup config defines at build time, for the same code here. */
function definesOf() {
  const transport = JSON.parse(readFileSync(join(packagesDir, 'transport', 'package.json'), 'utf8'));
  return { __X_TRANSPORT_VERSION__: JSON.stringify(transport.version) };
}

/** `./x` from a TypeScript file: x.ts or x/index.ts. */
function relativeSource(specifier, importer) {
  const base = resolve(dirname(importer), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate));
}

export async function buildNodeBundle(entry, outDir = 'dist/node') {
  const builtins = new Set(builtinModules);
  const define = definesOf();
  const tsconfigRaw = { compilerOptions: compilerOptions() };
  const bundle = await rollup({
    input: { index: resolve(entry) },
    external: (id) => id.startsWith('node:') || builtins.has(id),
    // The packages declare "sideEffects": false, except that an entry may install something
    // (@x/errors' Node entry installs its texts): entries keep their statements.
    treeshake: { moduleSideEffects: (id) => /[\\/]src[\\/]index(\.node)?\.ts$/.test(id) },
    // The entry file may export more than its source does: the lazy files import from it.
    preserveEntrySignatures: 'allow-extension',
    plugins: [
      {
        name: 'x-sources',
        resolveId(specifier, importer) {
          const inlined = /^@x\/(errors|envelope|transport|credentials)$/.exec(specifier);
          if (inlined) return nodeSourceOf(inlined[1]);
          if (importer !== undefined && specifier.startsWith('.')) return relativeSource(specifier, importer);
          return undefined;
        },
        async transform(code, id) {
          if (!id.endsWith('.ts')) return null;
          const out = await transform(code, {
            loader: 'ts',
            target: 'es2022',
            format: 'esm',
            sourcefile: id,
            sourcemap: true,
            define,
            tsconfigRaw,
          });
          return { code: out.code, map: out.map };
        },
      },
    ],
    onwarn(warning, warn) {
      // The packages' own import cycles (types and lazily read values) are fine; anything else fails the build.
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
      throw new Error(`node-bundle: ${warning.message}`);
    },
  });
  rmSync(outDir, { recursive: true, force: true });
  const { output } = await bundle.write({
    dir: outDir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  });
  await bundle.close();
  return output.filter((file) => file.type === 'chunk').map((chunk) => chunk.fileName);
}

if (process.argv[1] === here) {
  const files = await buildNodeBundle(process.argv[2] ?? 'src/index.ts');
  process.stdout.write(`node-bundle: dist/node/ ${files.join(' ')}\n`);
}
