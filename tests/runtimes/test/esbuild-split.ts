import type { Metafile } from 'esbuild';

/**
 * The outputs (metafile keys) that the entry of an esbuild split build loads up front: the entry's
 * own output (`entry`) and every output it imports statically, transitively. Chunks behind
 * `import()` are entry points of the metafile too, so the entry's own output is the entry point no
 * output loads by `import()`.
 */
export function initialOutputs(outputs: Metafile['outputs']): { entry: string; initial: Set<string> } {
  const loadedByImport = new Set(
    Object.values(outputs).flatMap((output) =>
      output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
    ),
  );
  const entry = Object.keys(outputs).find(
    (path) => outputs[path]!.entryPoint !== undefined && !loadedByImport.has(path),
  )!;
  const initial = new Set<string>();
  const stack = [entry];
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    if (initial.has(path)) continue;
    initial.add(path);
    stack.push(
      ...outputs[path]!.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path),
    );
  }
  return { entry, initial };
}
