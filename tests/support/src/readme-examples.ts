import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';

/** A `console.log(...)` of an example and the output its comment promises. */
export interface ExpectedLog {
  /** 1-based line in the README. */
  readonly line: number;
  /** The comment text; a trailing or inner `…` means "anything may stand here". */
  readonly expected: string;
}

export interface ReadmeExample {
  /** `README.md:<line>` of the opening fence, for test names. */
  readonly name: string;
  /** Where the block was written so it can be imported. */
  readonly file: string;
  readonly expectations: readonly ExpectedLog[];
  /** Imports the block, capturing console.log; resolves to the lines it logged. */
  run(): Promise<string[]>;
  /** True when a logged line keeps the promise of its comment. */
  matches(actual: string, expected: string): boolean;
}

/**
 * Every ```ts block of a README, written to `<outDir>/readme-<n>.ts` so the test runner can import
 * it (with the package's own name aliased to its source). Each `console.log` followed by a
 * comment on its line, or by comment lines right below it (one per printed line), promises that
 * output: the README cannot drift from what the code does. `fence` picks the blocks (e.g.
 * ```ts emulator for blocks that need a server another workspace runs).
 */
export function readmeExamples(readmePath: string, outDir: string, fence = '```ts'): ReadmeExample[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const examples: ReadmeExample[] = [];
  mkdirSync(outDir, { recursive: true });
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== fence) continue;
    const start = i;
    const body: string[] = [];
    const expectations: ExpectedLog[] = [];
    for (i++; i < lines.length && lines[i]?.trim() !== '```'; i++) {
      const line = lines[i] ?? '';
      body.push(line);
      if (!/console\.log\(/.test(line)) continue;
      const trailing = /\);\s*\/\/ (.*)$/.exec(line);
      // Otherwise the comment lines right below it, one per printed line.
      const below: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const comment = /^\s*\/\/ (.*)$/.exec(lines[j] ?? '');
        if (!comment) break;
        below.push(comment[1] ?? '');
      }
      const expected = trailing?.[1] ?? (below.length > 0 ? below.join('\n') : undefined);
      if (expected !== undefined) expectations.push({ line: i + 1, expected });
    }
    const file = join(outDir, `readme-${examples.length + 1}.ts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${body.join('\n')}\nexport {};\n`);
    examples.push({
      name: `README.md:${start + 1}`,
      file,
      expectations,
      run: () => capture(file),
      matches,
    });
  }
  return examples;
}

async function capture(file: string): Promise<string[]> {
  const logged: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    logged.push(format(...args));
  };
  try {
    await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
  } finally {
    console.log = original;
  }
  return logged;
}

function matches(actual: string, expected: string): boolean {
  const parts = expected.split('…');
  let at = 0;
  for (const [index, part] of parts.entries()) {
    const found = index === 0 ? (actual.startsWith(part) ? 0 : -1) : actual.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return parts.length > 1 || actual === expected;
}
