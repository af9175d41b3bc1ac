// Moves @x/services to another tencentcloud-sdk-nodejs version (and, optionally, new error data):
//   npm run update -w @x/services -- 4.1.314 [--errors path/to/tencentcloud-error-codes.json]
// It pins the version, regenerates dist/ and manifest.json, and prints what changed; review the
// manifest diff, run the tests, then add a changeset (npx changeset) for @x/services.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageRoot, '..', '..');
const [version, ...rest] = process.argv.slice(2);
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: npm run update -w @x/services -- <tencentcloud-sdk-nodejs version> [--errors <file>]');
  process.exit(2);
}
const errorsAt = rest.indexOf('--errors');
const before = JSON.parse(readFileSync(join(packageRoot, 'manifest.json'), 'utf8'));
const run = (command, args, cwd = repoRoot) => execFileSync(command, args, { cwd, stdio: 'inherit' });

run('npm', ['install', '--save-exact', '--save-dev', `tencentcloud-sdk-nodejs@${version}`, '-w', '@x/services']);
if (errorsAt >= 0) {
  const file = rest[errorsAt + 1];
  if (!file) throw new Error('--errors needs a file');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (!data.sources || !data.license || !data.services) throw new Error(`${file} lacks sources, license or services`);
  copyFileSync(file, join(packageRoot, 'data', 'tencentcloud-error-codes.json'));
}
run('node', ['scripts/generate.mjs', '--write-manifest'], packageRoot);

const after = JSON.parse(readFileSync(join(packageRoot, 'manifest.json'), 'utf8'));
const key = (s) => `${s.service}@${s.version}`;
const old = new Map(before.services.map((s) => [key(s), s]));
const now = new Map(after.services.map((s) => [key(s), s]));
console.log('\ntotals before:', before.totals, '\ntotals after: ', after.totals);
for (const [k] of now) if (!old.has(k)) console.log(`+ ${k}`);
for (const [k] of old) if (!now.has(k)) console.log(`- ${k} (removed: a breaking change for its users)`);
for (const [k, s] of now) {
  const o = old.get(k);
  if (o && o.actions !== s.actions) console.log(`~ ${k}: ${o.actions} → ${s.actions} actions`);
}
console.log('\nNext: git diff packages/services/manifest.json, npm test, npx changeset (@x/services).');
