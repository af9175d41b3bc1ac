import { envelopeOf, envelopeOfJson, withoutBom } from './envelope-shape';
import { requestIdFromHeaders } from './headers';
import type { JsonValue } from './json';
import type { EnvelopeMeta, EnvelopeResult } from './parse-envelope';

// Any unsafe integer has at least 16 digits (2^53 = 9007199254740992): a body without a run of 16
// digits anywhere holds nothing JSON.parse would round. json.ts has the same test; not shared, as a
// file both import would put the parser in the chunk every call loads (see envelope-shape.ts).
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * What `parseEnvelope(text, meta)` returns, without loading the exact 64-bit parser for the
 * bodies that do not need it: one without a 16-digit run that JSON.parse takes goes straight to the
 * shape checks. Any other body (a large integer, a body that is not JSON, an empty one) takes the
 * same path as parseEnvelope, with json.ts imported on first need (a separate chunk in browser
 * bundles): the same result or the same EnvelopeError comes either way.
 */
export function envelopeOfText<T>(text: string, meta: EnvelopeMeta): EnvelopeResult<T> | Promise<EnvelopeResult<T>> {
  const clean = withoutBom(text);
  if (meta.integers === 'number' || !LONG_DIGIT_RUN.test(clean)) {
    const parsed = nativeParse(clean);
    if (parsed !== undefined) return envelopeOf<T>(parsed, clean, meta, requestIdFromHeaders(meta.headers));
  }
  return import('./json').then((json) => envelopeOfJson<T>(json, clean, meta));
}

/** JSON.parse's value, or undefined when it refuses the text (JSON itself has no undefined). */
function nativeParse(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
