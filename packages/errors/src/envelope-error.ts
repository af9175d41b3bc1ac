import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

/**
 * Why a response was not an API 3.0 envelope.
 * - `http-status`: a non-200 status whose body is not an envelope (a gateway's HTML page, text).
 * - `empty-body`: nothing (or only white space) came back.
 * - `invalid-json`: the body is not JSON, or is cut short (`truncated` when it looks cut short).
 * - `not-an-object`: JSON, but an array or a primitive.
 * - `missing-response`: no `Response` object.
 * - `missing-request-id`: `Response.RequestId` absent or not a string.
 * - `invalid-error`: `Response.Error` present without a string `Code`.
 * - `body-too-large`: the body passed the configured size cap.
 * - `invalid-event-stream`: an SSE body that breaks the stream rules.
 * - `unexpected-content-type`: e.g. an event stream where JSON was expected.
 * - `unreadable-body`: the body object is neither a stream nor an iterable of bytes.
 */
export type EnvelopeErrorReason =
  | 'http-status'
  | 'empty-body'
  | 'invalid-json'
  | 'truncated'
  | 'not-an-object'
  | 'missing-response'
  | 'missing-request-id'
  | 'invalid-error'
  | 'body-too-large'
  | 'invalid-event-stream'
  | 'unexpected-content-type'
  | 'unreadable-body';

export interface EnvelopeErrorOptions extends TencentCloudErrorOptions {
  readonly reason: EnvelopeErrorReason;
  /** What exactly was wrong, for the message. */
  readonly detail?: string | undefined;
  readonly httpStatus?: number | undefined;
  /** The start of the body (at most ~200 characters); see {@link excerpt}. */
  readonly bodyExcerpt?: string | undefined;
  readonly contentType?: string | undefined;
}

/**
 * A response came back, but it is not an API 3.0 envelope: an HTML page from a gateway, an empty
 * or truncated body, JSON of the wrong shape. Carries the HTTP status, a short excerpt of the body
 * and the RequestId when one could be recovered (from the body or the `X-TC-RequestId` header).
 */
export class EnvelopeError extends TencentCloudError {
  static readonly errorKind = 'envelope';
  override readonly name = 'EnvelopeError';
  readonly kind = 'envelope' as const;
  readonly reason: EnvelopeErrorReason;
  readonly httpStatus: number | undefined;
  readonly bodyExcerpt: string;
  readonly contentType: string | undefined;

  constructor(options: EnvelopeErrorOptions) {
    super('envelope', '', options);
    this.reason = options.reason;
    this.httpStatus = options.httpStatus;
    this.bodyExcerpt = options.bodyExcerpt ?? '';
    this.contentType = options.contentType;
    const parts = [
      this.httpStatus === undefined ? undefined : `HTTP ${this.httpStatus}`,
      this.requestId === undefined ? undefined : `RequestId ${this.requestId}`,
      this.describeCall(),
    ].filter(Boolean);
    const detail = options.detail ? `: ${options.detail}` : '';
    const body = this.bodyExcerpt === '' ? '' : ` Body starts: ${JSON.stringify(this.bodyExcerpt)}`;
    this.message = `Response is not an API 3.0 envelope (${this.reason})${detail}${parts.length ? ` (${parts.join(', ')})` : ''}.${body}`;
  }

  protected details(): ErrorJson {
    return {
      reason: this.reason,
      httpStatus: this.httpStatus,
      contentType: this.contentType,
      bodyExcerpt: this.bodyExcerpt,
    };
  }
}

/** The first `max` characters of a body, white space folded, marked with … when cut. */
export function excerpt(body: string, max = 200): string {
  const folded = body.replace(/\s+/g, ' ').trim();
  return folded.length <= max ? folded : `${folded.slice(0, max)}…`;
}
