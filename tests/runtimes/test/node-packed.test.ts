import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFromNpm, nodeVersionFor } from '../../../scripts/node-from-npm.mjs';
import { onCi, report } from './runtime-support';

// What a user gets from npm: each package packed with `npm pack` (its `files` and `exports` only),
// installed into an empty project, then imported with `import` and with `require` by a program
// that calls the emulator. Catches what in-repo tests cannot: a missing file in the tarball, a
// wrong exports condition, an ESM/CJS mismatch.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = ['errors', 'envelope', 'transport', 'credentials', 'client', 'services', 'emulator'];

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'x-consumer-'));
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  for (const name of packages) {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballs], {
      cwd: join(root, 'packages', name),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', ...files], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The consumer starts the packed emulator itself and calls it with the packed client.
const program = (load: string) => `
${load}
(async () => {
  const emulator = await startEmulator();
  const cvm = createClient(cvmService, { region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials, catalogs: [cvmErrors] });
  const { TotalCount } = await cvm.call('DescribeInstances', { Limit: 1 });
  let typed = 'none';
  try { await cvm.untyped.call('NoSuchAction'); } catch (err) { typed = isApiError(err, 'InvalidAction') ? err.code : String(err); }
  await emulator.close();
  console.log(JSON.stringify({ TotalCount, typed }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

// The Node that runs this suite (20 in `npm test`; 22 and 24 in `npm run test:nodes`) and the
// current LTS, a binary from npm (scripts/node-from-npm.mjs: unpacked into a cached temp folder,
// never installed as a dependency, whose `node` bin link would make every npm script run on it).
function nodeLts(): string | undefined {
  try {
    return nodeFromNpm(24);
  } catch {
    return undefined;
  }
}
const LTS = `v${nodeVersionFor(24)}`;
const nodes = [
  { name: `Node ${process.version}`, bin: process.execPath as string | undefined },
  // Already covered above when the suite itself runs on that Node.
  ...(process.version === LTS ? [] : [{ name: `Node ${LTS} LTS`, bin: nodeLts() }]),
];

describe.each(nodes)('the packed packages, installed in an empty project, on $name', ({ name, bin }) => {
  const run = async (file: string) => {
    if (bin === undefined) throw new Error(`${name} is not installed`);
    const { stdout } = await promisify(execFile)(bin, [file], {
      cwd: project,
      env: { PATH: process.env['PATH'] ?? '' },
      encoding: 'utf8',
    });
    return JSON.parse(stdout) as { TotalCount: number; typed: string };
  };

  it('work for an ESM consumer (import)', async () => {
    if (bin === undefined) {
      report(`${name} (ESM)`, 'SKIPPED: its npm package is not installed on this machine');
      if (onCi) throw new Error(`${name} is not installed`);
      return;
    }
    writeFileSync(
      join(project, 'esm.mjs'),
      program(
        "import { createClient, isApiError } from '@x/client';\nimport { startEmulator } from '@x/emulator';\nimport { cvm as cvmService } from '@x/services/cvm';\nimport { cvmErrors } from '@x/services/cvm/errors';",
      ),
    );
    expect(await run('esm.mjs')).toEqual({ TotalCount: 50, typed: 'InvalidAction' });
    report(`${name} (ESM import of the packed tarballs)`, 'passed');
  });

  it('work for a CommonJS consumer (require)', async () => {
    if (bin === undefined) return; // reported by the ESM case
    writeFileSync(
      join(project, 'cjs.cjs'),
      program(
        "const { createClient, isApiError } = require('@x/client');\nconst { startEmulator } = require('@x/emulator');\nconst { cvm: cvmService } = require('@x/services/cvm');\nconst { cvmErrors } = require('@x/services/cvm/errors');",
      ),
    );
    expect(await run('cjs.cjs')).toEqual({ TotalCount: 50, typed: 'InvalidAction' });
    report(`${name} (CJS require of the packed tarballs)`, 'passed');
  });

  it('contain no third-party runtime dependency', () => {
    const tree = JSON.parse(
      execFileSync('npm', ['ls', '--all', '--json', '--omit=dev'], { cwd: project, encoding: 'utf8' }),
    ) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    const names = new Set<string>();
    const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> | undefined) => {
      for (const [name, node] of Object.entries(deps ?? {})) {
        names.add(name);
        walk(node.dependencies as Record<string, { dependencies?: Record<string, unknown> }> | undefined);
      }
    };
    walk(tree.dependencies);
    expect([...names].sort()).toEqual([
      '@x/client',
      '@x/credentials',
      '@x/emulator',
      '@x/envelope',
      '@x/errors',
      '@x/services',
      '@x/transport',
    ]);
  });
});
