import { acceptedEnvelope, withoutBom } from './envelope-shape';
import { requestIdFromHeaders } from './headers';
import type { JsonValue } from './json';
import { loadPart } from './load-part';
import type { EnvelopeMeta, EnvelopeResult } from './parse-envelope';

// Any unsafe integer has at least 16 digits (2^53 = 9007199254740992): a body without a run of 16
// digits anywhere holds nothing JSON.parse would round. json.ts has the same test; not shared, as a
// file both import would put the parser in the chunk every call loads (see envelope-shape.ts).
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * What `parseEnvelope(text, meta)` returns, loading neither the exact 64-bit parser nor the checks
 * that explain a failure for the bodies that need neither: a successful envelope without a
 * 16-digit run that JSON.parse takes is answered here. Any other body takes the same path as
 * parseEnvelope, with json.ts (a large integer, a body JSON.parse refuses) and envelope-checks.ts
 * (an ApiError, a wrong shape) imported on first need (separate chunks in browser bundles): the
 * same result or the same EnvelopeError comes either way.
 */
export function envelopeOfText<T>(
  text: string,
  meta: EnvelopeMeta & { readonly signal?: AbortSignal | undefined },
): EnvelopeResult<T> | Promise<EnvelopeResult<T>> {
  const clean = withoutBom(text);
  if (meta.integers === 'number' || !LONG_DIGIT_RUN.test(clean)) {
    const parsed = nativeParse(clean);
    if (parsed !== undefined) {
      const accepted = acceptedEnvelope<T>(parsed);
      if (accepted !== undefined) return accepted;
      return loaded(import('./envelope-checks'), meta).then((checks) =>
        checks.envelopeOf<T>(parsed, clean, meta, requestIdFromHeaders(meta.headers)),
      );
    }
  }
  return Promise.all([loaded(import('./json'), meta), loaded(import('./envelope-checks'), meta)]).then(
    ([json, checks]) => checks.envelopeOfJson<T>(json, clean, meta),
  );
}

const loaded = <Module>(load: Promise<Module>, meta: EnvelopeMeta & { readonly signal?: AbortSignal | undefined }) =>
  loadPart(load, meta.context, meta.headers, meta.signal);

/** JSON.parse's value, or undefined when it refuses the text (JSON itself has no undefined). */
function nativeParse(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
