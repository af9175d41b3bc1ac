import { loadErrorTexts } from '@x/errors';
import { headerValue } from './headers';
import type { EnvelopeMeta, EnvelopeResult } from './parse-envelope';
import { orAbort } from './load-part';
import { envelopeOfText } from './read-envelope-text';
import { bodySource, readBodyText, releaseBody, type ResponseLike } from './read-body';

/** Options of {@link readEnvelope}: those of `parseEnvelope` (status and headers come from the response) plus the size cap and a signal. */
export interface ReadEnvelopeOptions extends Omit<EnvelopeMeta, 'httpStatus' | 'headers'> {
  /** Refuse bodies larger than this many bytes. Default 64 MiB. */
  readonly maxBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads a response (fetch's `Response`, or what @x/transport's Node sender returns) with a size
 * cap and parses its envelope; see parseEnvelope for the outcomes. An event stream where
 * an envelope was expected is an EnvelopeError `unexpected-content-type` (use parseEventStream).
 */
export async function readEnvelope<T = Record<string, unknown>>(
  response: ResponseLike,
  options: ReadEnvelopeOptions = {},
): Promise<EnvelopeResult<T>> {
  // The EnvelopeErrors of a value that is no response and of an event stream come from body-source.ts (loaded then).
  if (typeof response !== 'object' || response === null) {
    throw (await bodySource(options)).notAResponse(response, options.context);
  }
  const contentType = headerValue(response.headers, 'content-type');
  if (contentType !== undefined && /^\s*text\/event-stream/i.test(contentType)) {
    const failure = { context: options.context, headers: response.headers };
    await releaseBody(response.body, failure);
    throw (await bodySource({ ...failure, signal: options.signal })).unexpectedEventStream(
      response,
      contentType,
      options.context,
    );
  }
  const body = await readBodyText(response, options);
  // An answer with an error: the texts of its ApiError first (a separate chunk in browser bundles;
  // there already on Node). Were they unreachable, the ApiError is still made, without its hint;
  // the signal still ends the wait.
  if (body.includes('"Error"')) {
    const texts = loadErrorTexts().catch(() => undefined);
    await (options.signal === undefined ? texts : orAbort(texts, options.signal));
  }
  // Object.assign, not a spread: on Node 20 a spread copy plus new fields builds a new hidden class per call (bench/README.md).
  // The exact 64-bit parser loads only for a body that needs it (read-envelope-text.ts).
  return envelopeOfText<T>(
    body,
    Object.assign({}, options, { httpStatus: response.status, headers: response.headers }),
  );
}
