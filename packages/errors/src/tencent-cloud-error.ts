/**
 * The brand every error class of `@x` carries (read it with {@link brandOf}). It is a registered symbol, so an error made by one
 * installed copy of @x/errors is recognised by another copy (two versions in one node_modules,
 * an ESM and a CJS copy, a bundled and an unbundled one).
 */
const ERROR_BRAND: unique symbol = Symbol.for('@x/errors.TencentCloudError');

/** Which class an error is; the guards and `instanceof` read it through the brand. */
export type ErrorKind = 'api' | 'envelope' | 'network' | 'timeout' | 'usage' | 'credentials';

/** Where a failing call was going. Every field is optional: errors may arise before all is known. */
export interface CallContext {
  /** Service name, e.g. `cvm`. */
  readonly service?: string | undefined;
  /** API version, e.g. `2017-03-12`. */
  readonly version?: string | undefined;
  /** Action name, e.g. `DescribeInstances`. */
  readonly action?: string | undefined;
  /** Region, e.g. `ap-guangzhou`. */
  readonly region?: string | undefined;
}

export interface TencentCloudErrorOptions extends CallContext {
  /** The error this one wraps; kept as the standard `cause`. */
  readonly cause?: unknown;
  /** RequestId from the server, when a response carried one. */
  readonly requestId?: string | undefined;
  /** HTTP attempts made before this error (1 when no retry happened). */
  readonly attempts?: number;
  /** Total time spent waiting between attempts, in milliseconds. */
  readonly retryDelayMs?: number;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A JSON-safe picture of an error: what `toJSON()` returns and `util.inspect` prints. */
export type ErrorJson = { readonly [key: string]: string | number | boolean | null | ErrorJson | undefined };

/**
 * The base class of every error `@x` throws. Carries the call context, the RequestId when the server
 * answered, and how many attempts were made. It never holds credentials: neither the SecretKey, the
 * session token nor the Authorization header is ever passed to an error.
 */
export abstract class TencentCloudError extends Error {
  abstract readonly kind: ErrorKind;
  readonly requestId: string | undefined;
  readonly service: string | undefined;
  readonly version: string | undefined;
  readonly action: string | undefined;
  readonly region: string | undefined;
  /** HTTP attempts made before this error; set by the transport's retry loop. */
  attempts: number;
  /** Total milliseconds waited between attempts; set by the transport's retry loop. */
  retryDelayMs: number;
  /** Whether {@link recordCall} ran: then the message counts the attempts. */
  private callRecorded = false;

  protected constructor(kind: ErrorKind, message: string, options: TencentCloudErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: kind, enumerable: false });
    this.requestId = options.requestId;
    this.service = options.service;
    this.version = options.version;
    this.action = options.action;
    this.region = options.region;
    this.attempts = options.attempts ?? 1;
    this.retryDelayMs = options.retryDelayMs ?? 0;
  }

  /** `instanceof` goes by the brand, so it also holds for errors from another copy of @x/errors. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const kind = brandOf(value);
    if (kind === undefined) return false;
    const expected = (this as unknown as { readonly errorKind?: ErrorKind }).errorKind;
    return expected === undefined || expected === kind;
  }

  /**
   * What the transport's retry loop records once a call has failed: the call's context (where the
   * error was made without it, e.g. by a sender that knows only a URL; context already present
   * is kept), the attempts made and the time waited. The message is written again to include them.
   */
  recordCall(context: CallContext, attempts: number, retryDelayMs: number): void {
    const self = this as { -readonly [K in keyof CallContext]: CallContext[K] };
    self.service ??= context.service;
    self.version ??= context.version;
    self.action ??= context.action;
    self.region ??= context.region;
    this.attempts = attempts;
    this.retryDelayMs = retryDelayMs;
    this.callRecorded = true;
    this.message = this.compose();
  }

  /** The message; written again by {@link recordCall}. By default the message as it was made. */
  protected compose(): string {
    return this.message;
  }

  /** `3 attempts` once the retry loop recorded the call, else undefined. */
  protected describeAttempts(): string | undefined {
    return this.callRecorded ? `${this.attempts} attempt${this.attempts === 1 ? '' : 's'}` : undefined;
  }

  /** `service:action in region`, or the parts of it that are known. */
  protected describeCall(): string | undefined {
    const what = this.service && this.action ? `${this.service}:${this.action}` : (this.action ?? this.service);
    if (what === undefined) return this.region ? `in ${this.region}` : undefined;
    return this.region ? `${what} in ${this.region}` : what;
  }

  /** The fields of this error kind, added to `toJSON()`. */
  protected abstract details(): ErrorJson;

  toJSON(): ErrorJson {
    const cause = this.cause;
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      ...this.details(),
      requestId: this.requestId,
      service: this.service,
      version: this.version,
      action: this.action,
      region: this.region,
      attempts: this.attempts,
      retryDelayMs: this.retryDelayMs,
      cause:
        cause === undefined
          ? undefined
          : cause instanceof Error
            ? `${cause.name}: ${cause.message}`
            : typeof cause === 'string'
              ? cause
              : Object.prototype.toString.call(cause),
    };
  }

  /**
   * What Node's `util.inspect` (and so `console.log`) shows: the stack and the JSON fields. Without
   * this, inspect would walk `cause` objects, which may belong to a user's fetch and hold anything.
   */
  [INSPECT](): string {
    const fields = Object.entries(this.toJSON())
      .filter(([key, value]) => value !== undefined && key !== 'message' && key !== 'name')
      .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
    return `${this.stack ?? `${this.name}: ${this.message}`}\n{\n${fields.join(',\n')}\n}`;
  }
}

/** The kind recorded by the brand, or undefined when `value` is not an `@x` error. */
export function brandOf(value: unknown): ErrorKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return typeof kind === 'string' ? (kind as ErrorKind) : undefined;
}

/** True for any error thrown by `@x`, from any installed copy. */
export function isTencentCloudError(value: unknown): value is TencentCloudError {
  return brandOf(value) !== undefined;
}
