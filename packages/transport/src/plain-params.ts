// The JSON text of params that JSON.stringify sends faithfully, decided without serialize.ts, so
// that browser bundles load the checked writer (serialize.ts: paths in errors, bigint, toJSON, GET
// flattening) only for the params that need it (prepareRequest in build-request.ts). The walk is
// serialize.ts's isPlainJson again on purpose: a file both imported would put the writer in the
// chunk every call loads (bundlers assign whole files to chunks).

/**
 * `'{}'` for no params, JSON.stringify's text for a plain object of strings, finite numbers,
 * booleans, null, arrays without holes or undefined and plain objects (less than 64 deep);
 * undefined for anything else, which serializeParams decides (it returns the same text for these).
 */
export function plainParamsJson(params: unknown): string | undefined {
  if (params === undefined || params === null) return '{}';
  return typeof params === 'object' && !Array.isArray(params) && isPlain(params, 0)
    ? JSON.stringify(params)
    : undefined;
}

function isPlain(value: unknown, depth: number): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (value === null) return true;
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !isPlain(item, depth + 1)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && !isPlain(item, depth + 1)) return false;
  }
  return true;
}
