import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace: each package keeps its own vitest.config.ts
// (so `npm test -w <pkg>` works alone) and the root lists them as projects.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/*'],
  },
});
