import type { Locale } from '@x/errors';

/** A request as the emulator saw it, for assertions. Authorization and X-TC-Token are redacted. */
export interface RecordedRequest {
  readonly method: string;
  readonly service: string | undefined;
  readonly version: string | undefined;
  readonly action: string | undefined;
  readonly region: string | undefined;
  /**
   * The action's params; values of secret-bearing names (SecretKey, Token, WebIdentityToken, ...)
   * read `[REDACTED]`.
   */
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The SecretId that signed it, when it was signed. */
  readonly secretId: string | undefined;
  /** `TC3-HMAC-SHA256`, `HmacSHA1`, `HmacSHA256`, `SKIP`, or undefined. */
  readonly signatureMethod: string | undefined;
  /** The body of an `application/octet-stream` request (whose params are `{}`); undefined for the others. */
  readonly body: Uint8Array | undefined;
  /** The RequestId answered. */
  readonly requestId: string;
  /** The error code answered, if any. */
  readonly errorCode: string | undefined;
  /** Emulator clock (ms) when it arrived. */
  readonly time: number;
}

/** What a handler gets besides the params. */
export interface HandlerContext {
  readonly service: string;
  readonly version: string;
  readonly action: string;
  readonly region: string | undefined;
  readonly language: Locale;
  readonly requestId: string;
  /** The SecretId that signed the request (undefined for unsigned actions). */
  readonly secretId: string | undefined;
  /**
   * The request body when it was sent as `application/octet-stream` (raw bytes, no params: the
   * params are `{}`); undefined for JSON, form and multipart requests.
   */
  readonly body: Uint8Array | undefined;
  /** The emulator's clock, in ms (offset faults included). */
  now(): number;
  /** Answer with Server-Sent Events instead of a JSON envelope: each item becomes `data: <json>`. */
  stream(events: AsyncIterable<unknown> | Iterable<unknown>): StreamReply;
  /** Temporary credentials the emulator will accept until `expiresAt` (ms). */
  issueCredentials(options: { readonly expiresAt: number; readonly principal?: string }): IssuedCredentials;
}

/** Temporary credentials minted by `ctx.issueCredentials`, shaped as STS returns them. */
export interface IssuedCredentials {
  readonly TmpSecretId: string;
  readonly TmpSecretKey: string;
  readonly Token: string;
}

export const STREAM_REPLY: unique symbol = Symbol('x-emulator.stream');

/** Returned by `ctx.stream(...)`. */
export interface StreamReply {
  readonly [STREAM_REPLY]: true;
  readonly events: AsyncIterable<unknown> | Iterable<unknown>;
}

/**
 * Answers one action: its result (nothing: `{}`) becomes `Response` (RequestId added); a thrown
 * `{ code, message }` an error.
 */
export type ActionHandler = (
  params: Record<string, unknown>,
  ctx: HandlerContext,
) => Record<string, unknown> | StreamReply | void | Promise<Record<string, unknown> | StreamReply | void>;

/**
 * `{ [service]: { [version]: { [action]: handler } } }`. A handler placed directly under the
 * service (`{ demo: { Greet: handler } }`) answers that action in every version, in place of any
 * built-in fixture; one of yours under a version wins over it.
 */
export type Handlers = Readonly<
  Record<string, Readonly<Record<string, ActionHandler | Readonly<Record<string, ActionHandler>>>>>
>;

/** Per-service gateway settings. */
export interface ServiceSettings {
  /** Regions the service answers in; others get UnsupportedRegion. Absent: any region. */
  readonly regions?: readonly string[];
  /** Whether calls without a region get MissingParameter. Default false. */
  readonly regionRequired?: boolean;
  /** Actions callable with `Authorization: SKIP` (e.g. sts AssumeRoleWithWebIdentity). */
  readonly unsignedActions?: readonly string[];
}
