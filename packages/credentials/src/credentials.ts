import { REDACTED, UsageError } from '@x/errors';
import type { CredentialsRequest } from '@x/transport';

export type { CredentialsRequest };

/** A SecretId/SecretKey pair, with the session token and expiry of temporary credentials. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  /** Session token of temporary credentials (sent as `X-TC-Token`). */
  readonly token?: string | undefined;
  /** When temporary credentials stop working, in ms since the epoch. Absent: they do not expire. */
  readonly expiresAt?: number | undefined;
}

/**
 * Anything that yields credentials when asked; called before every request (cache inside). The
 * request's `signal` aborts when the call no longer waits (its timeout, its deadline, the caller's
 * abort); the transport stops waiting then even when a provider ignores it.
 */
export type CredentialProvider = (request?: CredentialsRequest) => Promise<Credentials>;

/** Credentials as a plain object, or a provider of them: what every `@x` option named `credentials` takes. */
export type CredentialsInput = Credentials | CredentialProvider;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Validates and freezes credentials. `secretKey` and `token` are non-enumerable, and `toJSON()` /
 * `util.inspect` show them as `[REDACTED]`, so logging a credentials object cannot leak them.
 * Empty values and values with surrounding white space are refused: the API answers
 * `AuthFailure.SecretIdNotFound` for them, which sends users looking in the wrong place.
 *
 * @param source names where the values came from in error messages (`TENCENTCLOUD_SECRET_ID`, ...)
 */
export function makeCredentials(
  input: Credentials,
  source: { readonly secretId: string; readonly secretKey: string; readonly token: string } = {
    secretId: 'secretId',
    secretKey: 'secretKey',
    token: 'token',
  },
): Credentials {
  if (typeof input !== 'object' || input === null) {
    throw new UsageError('must be an object { secretId, secretKey, token? } or a provider function', {
      argument: 'credentials',
    });
  }
  checkSecret(input.secretId, source.secretId);
  checkSecret(input.secretKey, source.secretKey);
  if (input.token !== undefined) checkSecret(input.token, source.token);
  if (input.expiresAt !== undefined && !Number.isFinite(input.expiresAt)) {
    throw new UsageError('must be a finite number of milliseconds since the epoch', { argument: 'expiresAt' });
  }
  const out = {} as Credentials;
  Object.defineProperties(out, {
    secretId: { value: input.secretId, enumerable: true },
    secretKey: { value: input.secretKey, enumerable: false },
    token: { value: input.token, enumerable: false },
    expiresAt: { value: input.expiresAt, enumerable: input.expiresAt !== undefined },
    toJSON: { value: () => redactedView(out), enumerable: false },
    [INSPECT]: { value: () => `Credentials ${JSON.stringify(redactedView(out))}`, enumerable: false },
  });
  return Object.freeze(out);
}

function redactedView(c: Credentials): Record<string, string | number> {
  const view: Record<string, string | number> = { secretId: c.secretId, secretKey: REDACTED };
  if (c.token !== undefined) view['token'] = REDACTED;
  // Stryker disable next-line ConditionalExpression: an undefined expiresAt is left out by JSON.stringify, which both views use
  if (c.expiresAt !== undefined) view['expiresAt'] = c.expiresAt;
  return view;
}

function checkSecret(value: unknown, name: string): void {
  if (typeof value !== 'string') {
    throw new UsageError(`must be a string, got ${value === null ? 'null' : typeof value}`, { argument: name });
  }
  if (value.trim() === '') throw new UsageError('is empty', { argument: name });
  if (value.trim() !== value) {
    throw new UsageError('has white space before or after it (copy the key again without spaces)', { argument: name });
  }
}

/**
 * Fixed credentials, validated immediately (empty or space-padded values throw a UsageError).
 *
 * @example
 * const creds = staticCredentials({ secretId: 'AKID...', secretKey: '...' });
 */
export function staticCredentials(credentials: Credentials): CredentialProvider {
  const fixed = makeCredentials(credentials);
  return () => Promise.resolve(fixed);
}

/** Turns a {@link CredentialsInput} into a provider; a plain object is validated once, up front (see staticCredentials). */
export function toProvider(input: CredentialsInput): CredentialProvider {
  return typeof input === 'function' ? input : staticCredentials(input);
}
