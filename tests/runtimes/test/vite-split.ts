import { build as viteBuild, type Rollup } from 'vite';
import { here } from './runtime-support';

/** The chunks of Vite's production build (Rolldown under it) of `entry`, and which the entry loads up front. */
export interface ViteSplit {
  readonly chunks: readonly Rollup.OutputChunk[];
  /** The entry chunk and every chunk it imports statically (chunks behind import() are not). */
  readonly initial: ReadonlySet<string>;
}

/** Builds `entry` (module text, resolved from tests/runtimes) as a user's Vite build would, minified, not written. */
export async function viteSplit(entry: string): Promise<ViteSplit> {
  const id = '\0size-entry.js';
  const built = await viteBuild({
    root: here,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'size-entry',
        resolveId: (source) => (source === 'size-entry' ? id : undefined),
        load: (source) => (source === id ? entry : undefined),
      },
    ],
    build: { write: false, minify: true, modulePreload: false, rollupOptions: { input: 'size-entry' } },
  });
  const chunks = (Array.isArray(built) ? built : [built as Rollup.RollupOutput])
    .flatMap((output) => output.output)
    .filter((file): file is Rollup.OutputChunk => file.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initial = new Set<string>();
  const stack = [chunks.find((chunk) => chunk.isEntry)!.fileName];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (initial.has(name)) continue;
    initial.add(name);
    stack.push(...byName.get(name)!.imports);
  }
  return { chunks, initial };
}
