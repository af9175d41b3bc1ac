import { describe, expect, it } from 'vitest';
import { readmeExamples } from '@x/test-support';

const examples = readmeExamples(
  new URL('../README.md', import.meta.url).pathname,
  new URL('./.readme', import.meta.url).pathname,
);

describe('README examples run as written', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(2));
  it.each(examples)('$name prints what its comments say', async (example) => {
    const logged = await example.run();
    expect(logged.length).toBeGreaterThanOrEqual(example.expectations.length);
    example.expectations.forEach((exp, i) => {
      const actual = logged[i] ?? '';
      expect(example.matches(actual, exp.expected), `README.md:${exp.line}\n  expected: ${exp.expected}\n  actual:   ${actual}`).toBe(true);
    });
  });
});
