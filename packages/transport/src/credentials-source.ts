import { CredentialsError, UsageError, isTencentCloudError, type CallContext } from '@x/errors';
import type { Attempt } from './deadline';
import type { CredentialsLike, CredentialsRequest, CredentialsSource } from './options';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a provider is handed: the attempt's signal, made when the provider reads it (see Attempt). */
class ProviderRequest implements CredentialsRequest {
  readonly #attempt: Attempt;

  constructor(attempt: Attempt) {
    this.#attempt = attempt;
  }

  get signal(): AbortSignal {
    return this.#attempt.signal;
  }
}

/**
 * Credentials from the source, asked inside the attempt: stops waiting when the attempt aborts,
 * whatever the provider does. Not checked yet (see {@link checkedCredentials}); plain credentials
 * come back as they are, without a promise.
 */
export function credentialsOf(source: CredentialsSource | undefined, attempt: Attempt, context: CallContext): unknown {
  if (source === undefined)
    throw new UsageError('are required to sign requests (or call with auth: "skip")', { argument: 'credentials' });
  return typeof source === 'function' ? fromProvider(source, attempt, context) : source;
}

/** The credentials a source gave, or a UsageError when they cannot sign. */
export function checkedCredentials(creds: unknown): CredentialsLike {
  if (
    !isRecord(creds) ||
    typeof creds.secretId !== 'string' ||
    creds.secretId === '' ||
    typeof creds.secretKey !== 'string' ||
    creds.secretKey === ''
  ) {
    throw new UsageError('must have a non-empty secretId and secretKey', { argument: 'credentials' });
  }
  return creds as unknown as CredentialsLike;
}

/**
 * Asks the provider. The attempt's abort rejects through its hook, not through a listener on a
 * signal (adding and removing one on every call cost ~10 µs of CPU per call on Node 20, and the
 * signal itself ~7 µs more: bench/README.md); the sender replaces the hook later, and a late call
 * on a settled promise does nothing. Three promises, the provider's own included.
 */
function fromProvider(
  source: Exclude<CredentialsSource, CredentialsLike>,
  attempt: Attempt,
  context: CallContext,
): Promise<unknown> {
  if (attempt.aborted) return Promise.reject(attempt.reason);
  return new Promise((resolve, reject) => {
    attempt.onAbort(reject);
    const failed = (err: unknown) =>
      reject(attempt.aborted || isTencentCloudError(err) ? err : providerError(source, err, context));
    let asked: unknown;
    try {
      asked = source(new ProviderRequest(attempt));
    } catch (err) {
      // A provider that throws synchronously fails the lookup as a rejection would.
      return failed(err);
    }
    Promise.resolve(asked).then(resolve, failed);
  });
}

function providerError(source: (...args: never[]) => unknown, err: unknown, context: CallContext): CredentialsError {
  const provider = source.name || 'credentials provider';
  const reason = err instanceof Error ? err.message : typeof err === 'string' ? err : 'it rejected without an Error';
  return new CredentialsError({
    detail: `The credentials provider ${provider} failed: ${reason}`,
    tried: [{ provider, reason }],
    cause: err,
    ...context,
  });
}
