import { CredentialsError, UsageError, isTencentCloudError, type CallContext } from '@x/errors';
import type { CredentialsLike, CredentialsSource } from './options';
import { untilAborted } from './signals';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Credentials from the source, asked inside the attempt: stops waiting when `signal` aborts, whatever the provider does. */
export async function credentialsOf(source: CredentialsSource | undefined, signal: AbortSignal, context: CallContext): Promise<CredentialsLike> {
  if (source === undefined) throw new UsageError('are required to sign requests (or call with auth: "skip")', { argument: 'credentials' });
  const creds = typeof source === 'function' ? await fromProvider(source, signal, context) : source;
  if (!isRecord(creds) || typeof creds.secretId !== 'string' || creds.secretId === '' || typeof creds.secretKey !== 'string' || creds.secretKey === '') {
    throw new UsageError('must have a non-empty secretId and secretKey', { argument: 'credentials' });
  }
  return creds;
}

async function fromProvider(source: Exclude<CredentialsSource, CredentialsLike>, signal: AbortSignal, context: CallContext): Promise<CredentialsLike> {
  try {
    // Called inside the promise chain: a provider that throws synchronously is a rejection too.
    return await untilAborted(Promise.resolve().then(() => source({ signal })), signal);
  } catch (err) {
    if (signal.aborted || isTencentCloudError(err)) throw err;
    const provider = source.name || 'credentials provider';
    const reason = err instanceof Error ? err.message : typeof err === 'string' ? err : 'it rejected without an Error';
    throw new CredentialsError({ detail: `The credentials provider ${provider} failed: ${reason}`, tried: [{ provider, reason }], cause: err, ...context });
  }
}
