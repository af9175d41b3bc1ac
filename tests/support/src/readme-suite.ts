import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeExamples } from './readme-examples';

/**
 * Registers the tests that run a README's examples: every block of the fence must run, and print
 * what the comments after its `console.log` calls say.
 *
 * @param readme URL of the README (e.g. `new URL('../README.md', import.meta.url)`)
 * @param outDir URL of a git-ignored folder where the blocks are written to be imported
 */
export function describeReadme(
  title: string,
  readme: URL,
  outDir: URL,
  options: { fence?: string; minExamples?: number } = {},
): void {
  const examples = readmeExamples(fileURLToPath(readme), fileURLToPath(outDir), options.fence);
  describe(title, () => {
    it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(options.minExamples ?? 1));
    it.each(examples)('$name prints what its comments say', async (example) => {
      const logged = await example.run();
      expect(logged.length).toBeGreaterThanOrEqual(example.expectations.length);
      example.expectations.forEach((exp, i) => {
        const actual = logged[i] ?? '';
        expect(
          example.matches(actual, exp.expected),
          `README.md:${exp.line}\n  expected: ${exp.expected}\n  actual:   ${actual}`,
        ).toBe(true);
      });
    });
  });
}
