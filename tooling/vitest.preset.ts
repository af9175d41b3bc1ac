import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

// The vitest project of every workspace. Each workspace keeps a vitest.config.ts of its own (so
// `npm test -w <pkg>` works alone) and the root config lists them all as projects (`npm test`).
// turbo.json lists this file among the test inputs.

export interface ProjectOptions {
  /** `import.meta.url` of the config: paths below are relative to its folder. */
  readonly root: string;
  /**
   * Package names (matched exactly) pointed at their sources, so tests and README examples import
   * the package by name and need no build. Node-first packages point at their `.node` entries.
   */
  readonly sources?: Readonly<Record<string, string>>;
  /** Build-time constants the sources expect (tsup's `define`). */
  readonly define?: Readonly<Record<string, string>>;
  /** Per-workspace test settings (timeouts of slow suites). */
  readonly test?: NonNullable<UserWorkspaceConfig['test']>;
}

/** The vitest project `name`: every `test/**\/*.test.ts` of the workspace. */
export function project(name: string, options: ProjectOptions): UserWorkspaceConfig {
  const alias = Object.entries(options.sources ?? {}).map(([pkg, source]) => ({
    find: new RegExp(`^${pkg.replace(/[/.]/g, '\\$&')}$`),
    replacement: fileURLToPath(new URL(source, options.root)),
  }));
  return defineProject({
    resolve: { alias },
    ...(options.define ? { define: { ...options.define } } : {}),
    test: { name, include: ['test/**/*.test.ts'], ...options.test },
  });
}
