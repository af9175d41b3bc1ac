import { ApiError, EnvelopeError, loadErrorTexts, type ApiErrorOptions } from '@x/errors';
import type { JsonModule } from './envelope-shape';
import type { JsonValue } from './json';
import type { EnvelopeMeta } from './parse-envelope';

/**
 * An event's data: JSON-parsed when it looks like JSON and parses, else the text. `json` is the
 * parser module the stream loaded (see parseEventStream), the same file readEnvelope loads.
 */
export function decodeData(text: string, meta: EnvelopeMeta, requestId: string | undefined, json: JsonModule): unknown {
  const first = /^\s*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') return text;
  try {
    return json.parseJson(text, meta.integers);
  } catch (err) {
    if (err instanceof json.JsonLimitError) {
      throw new EnvelopeError({
        reason: 'invalid-event-stream',
        detail: `an event's data: ${err.message}`,
        requestId,
        cause: err,
        ...meta.context,
      });
    }
    if (err instanceof json.JsonSyntaxError) return text;
    throw err;
  }
}

/** JSON text of a parsed value for a message: bigints as digits, never a throw (cycles cannot occur; depth can). */
function jsonText(value: JsonValue): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return 'the stream reported an error';
  }
}

/** An error code as text: strings and numbers as they are, anything else as its JSON. */
function codeText(value: JsonValue): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? value.toString()
      : jsonText(value);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a mid-stream error said: its code, the server's message and the RequestId to report. */
interface StreamFailure {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/**
 * The error an event reports, if any:
 * - CLS: `event: error` with a whole error envelope (also accepted without the event name);
 * - hunyuan: `ErrorMsg: { Code: 4001, Msg: "..." }` inside an event;
 * - any other `event: error`: an InternalError with the data as its message.
 */
function failureOf(
  type: string | undefined,
  data: JsonValue,
  requestId: string | undefined,
): StreamFailure | undefined {
  if (!isObject(data)) {
    if (type !== 'error') return undefined;
    return {
      code: 'InternalError',
      message: typeof data === 'string' ? data : 'the stream reported an error',
      requestId: requestId ?? '',
    };
  }
  const response = data['Response'];
  const error = isObject(response) ? response['Error'] : undefined;
  if (isObject(response) && isObject(error) && typeof error['Code'] === 'string') {
    const id = typeof response['RequestId'] === 'string' ? response['RequestId'] : (requestId ?? '');
    return {
      code: error['Code'],
      message: typeof error['Message'] === 'string' ? error['Message'] : '',
      requestId: id,
    };
  }
  const errorMsg = data['ErrorMsg'];
  if (isObject(errorMsg) && errorMsg['Code'] !== undefined && errorMsg['Code'] !== 0) {
    const id = typeof data['Id'] === 'string' && requestId === undefined ? data['Id'] : (requestId ?? '');
    return {
      code: codeText(errorMsg['Code']),
      message: typeof errorMsg['Msg'] === 'string' ? errorMsg['Msg'] : '',
      requestId: id,
    };
  }
  if (type === 'error')
    return { code: 'InternalError', message: jsonText(data).slice(0, 200), requestId: requestId ?? '' };
  return undefined;
}

/**
 * An error event, kept until the events before it are handed out: the ApiError is made then, once
 * the error texts are there (a separate chunk in browser bundles), so its message has the hint.
 */
export class EventFailure {
  constructor(readonly options: ApiErrorOptions) {}
}

/** Throws the EventFailure an event reports (see failureOf), with the stream's RequestId and the call's context. */
export function failOnError(
  type: string | undefined,
  data: unknown,
  requestId: string | undefined,
  meta: EnvelopeMeta,
): void {
  const failure = failureOf(type, data as JsonValue, requestId);
  if (failure === undefined) return;
  throw new EventFailure({
    code: failure.code,
    serverMessage: failure.message,
    requestId: failure.requestId,
    catalogs: meta.catalogs,
    language: meta.language ?? meta.locale,
    ...meta.context,
  });
}

/** The error a failed stream throws: an EventFailure becomes its ApiError, texts loaded (or not, when they cannot be). */
export async function thrownError(error: unknown): Promise<unknown> {
  if (!(error instanceof EventFailure)) return error;
  await loadErrorTexts().catch(() => undefined);
  return new ApiError(error.options);
}
