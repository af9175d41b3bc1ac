// Builds the package: reads the pinned inputs, emits every file into dist/, and with
// --write-manifest records what it emitted in manifest.json (committed: the tests regenerate and compare).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, descriptorValue } from './emit.mjs';
import { readSources, sdkVersion } from './read-sources.mjs';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ERROR_DATA = join(packageRoot, 'data', 'tencentcloud-error-codes.json');
export const MANIFEST = join(packageRoot, 'manifest.json');

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Reads the inputs and emits every file: `{ model, files, manifest }`, nothing written. */
export function generate() {
  const errorData = JSON.parse(readFileSync(ERROR_DATA, 'utf8'));
  const model = readSources(errorData);
  const meta = { sdkVersion: sdkVersion() };
  const files = emit(model, meta);
  return { model, files, manifest: manifestOf(model, files, meta, errorData) };
}

/** What was generated, in a form whose diff a reviewer can read. */
export function manifestOf(model, files, meta, errorData) {
  const services = model.map((sv) => {
    const dir = `${sv.service}/${sv.dir}`;
    const flags = descriptorValue(sv);
    return {
      service: sv.service,
      version: sv.version,
      host: sv.host,
      actions: sv.actions.length,
      models: sv.structs.size,
      errorCodes: sv.codes.length,
      ...(sv.skippedCodes.length ? { skippedCodes: sv.skippedCodes } : {}),
      ...(Object.keys(flags.streaming).length ? { streaming: flags.streaming } : {}),
      ...(flags.streamHosts ? { streamHosts: flags.streamHosts } : {}),
      ...(flags.multipart ? { multipart: flags.multipart } : {}),
      ...(Object.keys(flags.dryRun).length ? { dryRun: flags.dryRun } : {}),
      ...(flags.textPaging ? { textPaging: flags.textPaging } : {}),
      files: Object.fromEntries(
        [...files]
          .filter(([path]) => path.startsWith(`${dir}/`))
          .map(([path, text]) => [path.slice(dir.length + 1), hash(text)]),
      ),
    };
  });
  const shared = Object.fromEntries(
    [...files].filter(([path]) => !/^[^/]+\/v\d{8}\//.test(path)).map(([path, text]) => [path, hash(text)]),
  );
  return {
    about:
      'What @x/services generates from its two pinned inputs. Regenerated and compared by the tests; rewritten by `npm run update -w @x/services`.',
    sources: {
      types: { package: 'tencentcloud-sdk-nodejs', version: meta.sdkVersion, license: 'Apache-2.0' },
      errors: { file: 'data/tencentcloud-error-codes.json', sources: errorData.sources, license: errorData.license },
    },
    totals: {
      serviceVersions: model.length,
      services: new Set(model.map((sv) => sv.service)).size,
      actions: model.reduce((n, sv) => n + sv.actions.length, 0),
      models: model.reduce((n, sv) => n + sv.structs.size, 0),
      errorCodes: model.reduce((n, sv) => n + sv.codes.length, 0),
      actionsWithDocumentedErrors: model.reduce((n, sv) => n + sv.actions.filter((a) => a.errors.length).length, 0),
      files: files.size,
    },
    shared,
    services,
  };
}

function main() {
  const started = performance.now();
  const { files, manifest } = generate();
  const dist = join(packageRoot, 'dist');
  rmSync(dist, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), text);
  }
  const text = `${JSON.stringify(manifest, null, 1)}\n`;
  if (process.argv.includes('--write-manifest')) writeFileSync(MANIFEST, text);
  const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(
    `@x/services: ${manifest.totals.serviceVersions} service-versions, ${manifest.totals.actions} actions, ${files.size} files (${(bytes / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
