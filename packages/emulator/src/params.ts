import { REDACTED, SENSITIVE_PARAMS } from '@x/errors';

/**
 * Flattened params (`Filters.0.Name=zone`, GET query or form body) back into objects and arrays.
 * Values are strings on the wire; integers and booleans are converted back (what the API's own
 * gateway does for typed fields).
 */
export function unflatten(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, raw] of pairs) {
    const path = name.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
      const slot = node as Record<string, unknown>;
      if (last) slot[key] = convert(raw);
      else {
        slot[key] ??= nextIsIndex ? [] : {};
        node = slot[key] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}

function convert(raw: string): unknown {
  if (/^-?(?:0|[1-9]\d{0,14})$/.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return raw;
}

/**
 * A deep copy of params with the values of secret-bearing names (any case) replaced by `[REDACTED]`.
 * Bytes (multipart file parts) are kept as they are.
 */
export function redactParams(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactParams);
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    // defineProperty: a param named `__proto__` (JSON.parse and multipart both make one) stays a param.
    Object.defineProperty(out, name, {
      value: SENSITIVE_PARAMS.has(name.toLowerCase()) && v !== undefined ? REDACTED : redactParams(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
