import type { ErrorCatalog, Locale } from '@x/errors';
import type { IntegerMode } from '@x/envelope';
import type { HttpMethod } from './build-request';
import type { Middleware } from './call';
import type { Logger } from './logger';
import type { RetryBudget, RetryBudgetOptions, RetryOptions } from './retry';
import type { Sender } from './sender';

/** What signing needs: a SecretId/SecretKey pair and, for temporary keys, the session token. */
export interface CredentialsLike {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string | undefined;
}

/** What a credentials provider is handed when asked for credentials. */
export interface CredentialsRequest {
  /**
   * Aborts when the attempt ends (its timeout, the call's deadline, the caller's signal). The
   * transport stops waiting then even when the provider goes on; a provider that can, should stop too.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Credentials, or a provider asked before every attempt (it should cache). The lookup runs inside
 * the attempt's deadline; a provider that rejects with anything but an @x error is reported as a
 * CredentialsError naming it (its function name), with the rejection as `cause`.
 */
export type CredentialsSource = CredentialsLike | ((request?: CredentialsRequest) => Promise<CredentialsLike>);

/** The per-attempt timeout when none is given (`timeoutMs`). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The whole-call deadline when none is given (`totalTimeoutMs`). */
export const DEFAULT_TOTAL_TIMEOUT_MS = 90_000;

/** Options that one call may override (and that middleware sees and may change). */
export interface CallOptions {
  readonly region?: string | undefined;
  /** Language of error messages (`X-TC-Language`) and of ApiError hints. Default en-US. */
  readonly language?: Locale | undefined;
  /** Aborts the call at once; its reason is rethrown unchanged. */
  readonly signal?: AbortSignal | undefined;
  /** Per attempt, until the response is read. Default {@link DEFAULT_TIMEOUT_MS} (30 000 ms). */
  readonly timeoutMs?: number | undefined;
  /** For the whole call, retries and waits included. Default {@link DEFAULT_TOTAL_TIMEOUT_MS} (90 000 ms). */
  readonly totalTimeoutMs?: number | undefined;
  /** Retry settings, or `false` for a single attempt. Defaults: {@link DEFAULT_RETRY}. */
  readonly retry?: RetryOptions | false | undefined;
  /** More request headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Whether the call may be repeated after it may have reached the server (a timeout, a reset, a
   * 502). Default: true when the params carry a non-empty `ClientToken`, else the transport's
   * `idempotent` (by default: read actions, see `isReadAction`). `false` opts this call out.
   */
  readonly idempotent?: boolean | undefined;
  /** Default POST. */
  readonly method?: HttpMethod | undefined;
  /** `skip` sends `Authorization: SKIP` (actions that take no signature, e.g. AssumeRoleWithWebIdentity). */
  readonly auth?: 'tc3' | 'skip' | undefined;
  /** Another endpoint for this call (e.g. an action served on its own host); the signing service stays. */
  readonly endpoint?: string | undefined;
  /**
   * POST the params as multipart/form-data (the actions that declare it, e.g. cii UploadMedicalFile):
   * one part per top-level param; strings, numbers, booleans, bigints as text, bytes
   * (Uint8Array, ArrayBuffer) as `application/octet-stream` parts. 10 MB at most.
   */
  readonly multipart?: boolean | undefined;
  /** POST these bytes as `application/octet-stream`, signed; the params must be empty. 10 MB at most. */
  readonly body?: Uint8Array | undefined;
}

export interface TransportOptions extends Omit<CallOptions, 'signal' | 'idempotent' | 'multipart' | 'body'> {
  /** Service name, e.g. `cvm`; also the signing service. */
  readonly service: string;
  /** API version, e.g. `2017-03-12`. */
  readonly version: string;
  /** Required unless every call uses `auth: 'skip'`. */
  readonly credentials?: CredentialsSource | undefined;
  /** An explicit endpoint, e.g. `http://127.0.0.1:8080` (see resolveEndpoint). */
  readonly endpoint?: string | undefined;
  readonly site?: 'china' | 'intl' | undefined;
  readonly regionPinned?: boolean | undefined;
  /** How requests are sent. Default: the Node sender on Node, fetch elsewhere. */
  readonly sender?: Sender | undefined;
  /** Send with this fetch (a proxy-aware one, a test double). Ignored when `sender` is given. */
  readonly fetch?: typeof fetch | undefined;
  /** Wrap every call and stream, outermost first. */
  readonly middleware?: readonly Middleware[] | undefined;
  readonly logger?: Logger | undefined;
  /** Service error catalogs for ApiError category, retryability and hints. */
  readonly catalogs?: readonly ErrorCatalog[] | undefined;
  /**
   * @deprecated Use `language`, which sets both the server's messages and the hints. When given,
   * it still picks the language of ApiError hints alone.
   */
  readonly locale?: Locale | undefined;
  /** How integers beyond 2^53 - 1 come back. Default `bigint`. */
  readonly integers?: IntegerMode | undefined;
  /** Refuse response bodies larger than this. Default 64 MiB (see @x/envelope). */
  readonly maxResponseBytes?: number | undefined;
  /** Refuse one event of a stream larger than this many bytes. Default 32 MiB (see @x/envelope). */
  readonly maxEventBytes?: number | undefined;
  /** The retry budget: shared by all calls of this transport. `false` disables it. */
  readonly budget?: RetryBudget | RetryBudgetOptions | false | undefined;
  /**
   * Which actions are idempotent (retried after a timeout, a reset or a 5xx page). Default
   * `isReadAction`: names starting with Describe, Get, List, Inquiry, Inquire, Query or Search
   * (calls with a non-empty ClientToken too, whatever this says). Your function replaces the
   * default: `() => false` opts out, `(action) => isReadAction(action) || action === 'X'` extends it.
   */
  readonly idempotent?: ((action: string, params: Readonly<Record<string, unknown>>) => boolean) | undefined;
  /** Fill an empty `ClientToken` param with a UUID, making the call idempotent. Default false. */
  readonly autoClientToken?: boolean | undefined;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body. */
  readonly unsignedPayload?: boolean | undefined;
  /** The clock (ms). Injectable for tests; corrected by the server's Date on SignatureExpire. */
  readonly now?: (() => number) | undefined;
  /** Jitter source in [0, 1). */
  readonly random?: (() => number) | undefined;
  /** How to wait between attempts. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}
