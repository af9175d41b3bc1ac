import { redactSecretFields } from './redact';
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
  /** The start of the body (at most ~200 characters); see {@link excerpt}. Secret-bearing fields are blanked here too. */
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
  /** What exactly was wrong, as given. */
  private readonly detail: string | undefined;

  constructor(options: EnvelopeErrorOptions) {
    super('envelope', '', options);
    this.reason = options.reason;
    this.httpStatus = options.httpStatus;
    // Blanked again here, whoever made the excerpt: a body may quote temporary keys (an STS
    // answer cut short), and this text ends up in messages and logs.
    this.bodyExcerpt = redactSecretFields(options.bodyExcerpt ?? '');
    this.contentType = options.contentType;
    this.detail = options.detail;
    this.message = this.compose();
  }

  protected override compose(): string {
    const parts = [
      this.httpStatus === undefined ? undefined : `HTTP ${this.httpStatus}`,
      this.requestId === undefined ? undefined : `RequestId ${this.requestId}`,
      this.describeCall(),
    ].filter(Boolean);
    const detail = this.detail ? `: ${this.detail}` : '';
    const body = this.bodyExcerpt === '' ? '' : ` Body starts: ${JSON.stringify(this.bodyExcerpt)}`;
    return `Response is not an API 3.0 envelope (${this.reason})${detail}${parts.length ? ` (${parts.join(', ')})` : ''}.${body}`;
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

/**
 * The first `max` characters of a body, white space folded, the value of every secret-bearing
 * field blanked (see {@link redactSecretFields}), marked with … when cut. Only the start of the
 * body is looked at, so a 64 MiB body costs no more than a short one.
 */
export function excerpt(body: string, max = 200): string {
  const head = body.length > max * 8 ? body.slice(0, max * 8) : body;
  const folded = redactSecretFields(head.replace(/\s+/g, ' ').trim());
  return folded.length <= max && head.length === body.length ? folded : `${folded.slice(0, max)}…`;
}
