import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExamples } from '@x/test-support';

// The README of @x/client runs its examples against @x/emulator; the client package cannot
// depend on the emulator, so its README is checked here, importing both by name.
const examples = readmeExamples(
  fileURLToPath(new URL('../../../packages/client/README.md', import.meta.url)),
  fileURLToPath(new URL('./.readme/client', import.meta.url)),
);

describe.each([
  ['@x/client', examples],
  [
    '@x/credentials (STS blocks)',
    readmeExamples(
      fileURLToPath(new URL('../../../packages/credentials/README.md', import.meta.url)),
      fileURLToPath(new URL('./.readme/credentials', import.meta.url)),
      '```ts emulator',
    ),
  ],
])('the %s README runs as written', (_name, examples) => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(1));
  it.each(examples)('$name prints what its comments say', async (example) => {
    const logged = await example.run();
    expect(logged.length).toBeGreaterThanOrEqual(example.expectations.length);
    example.expectations.forEach((exp, i) => {
      const actual = logged[i] ?? '';
      expect(example.matches(actual, exp.expected), `README.md:${exp.line}\n  expected: ${exp.expected}\n  actual:   ${actual}`).toBe(true);
    });
  });
});
