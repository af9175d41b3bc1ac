// The package scripts whose commands every @x workspace shares, kept in one place. npm runs a
// script in its package's folder, so `node ../../tooling/scripts.mjs typecheck` acts on that
// package. turbo.json lists this file among the inputs of the tasks that run it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What each shared script runs, in order; the first that fails stops the rest. */
const SCRIPTS = {
  // Every tsconfig the package has: the universal sources, the Node twins (tsconfig.node.json),
  // the generated declarations (tsconfig.dist.json), the tests.
  typecheck: () =>
    ['tsconfig.json', 'tsconfig.node.json', 'tsconfig.dist.json', 'test/tsconfig.json']
      .filter((config) => existsSync(config))
      .map((config) => ['tsc', '-p', config]),
  // What a consumer installs: publint's strict rules, then the packed tarball as Node16 resolution
  // sees it (extra arguments go to attw, e.g. --entrypoints).
  'check:package': (extra) => [
    ['publint', '--strict'],
    ['attw', '--pack', '.', '--profile', 'node16', ...extra],
  ],
};

const [name, ...extra] = process.argv.slice(2);
const script = SCRIPTS[name];
if (!script) {
  process.stderr.write(`usage: node tooling/scripts.mjs ${Object.keys(SCRIPTS).join('|')} [args]\n`);
  process.exit(2);
}
for (const [command, ...args] of script(extra)) {
  // shell: the commands are the workspace's node_modules/.bin tools, found on npm's PATH (.cmd on Windows).
  const { status } = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (status !== 0) process.exit(status ?? 1);
}
