import type { ResponseLike } from '@x/envelope';
import { UsageError } from '@x/errors';
import { prepareRequest, type BuiltRequest } from './build-request';
import { checkedCredentials, credentialsOf } from './credentials-source';
import type { Attempt } from './deadline';
import { withField } from './decode';
import { loadDebugLines, writeDebug, type Logger } from './logger';
import type { CredentialsSource } from './options';
import type { ResolvedCall } from './resolve-call';
import type { Sender, SendRequest } from './sender';
import type { SignedRequest, SignRequest } from './sign-request';
import { isUnixSeconds } from './tc3';

/** What attempts share across the calls of a transport. */
export interface AttemptDeps {
  readonly service: string;
  readonly version: string;
  readonly credentials: CredentialsSource | undefined;
  readonly unsignedPayload: boolean | undefined;
  readonly signRequest: SignRequest;
  readonly sender: Sender;
  readonly logger: Logger | undefined;
  /** The clock (ms), corrected by the offset learnt from the server. */
  readonly now: () => number;
  clockOffsetMs: number;
}

/**
 * The request a sender that declares `usesOnAbort` is handed: the attempt's AbortSignal is made
 * only if the sender reads `signal` (the Node sender does not: it registers with `onAbort`). A
 * class, because a getter in an object literal costs ~1 µs per call on Node 20.
 */
class HookedSendRequest implements SendRequest {
  readonly method: SendRequest['method'];
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  readonly onAbort: (cancel: (reason: unknown) => void) => void;
  readonly #attempt: Attempt;

  constructor(request: SignedRequest, attempt: Attempt) {
    this.method = request.method;
    this.url = request.url;
    this.headers = request.headers;
    this.body = request.body;
    this.onAbort = attempt.onAbort;
    this.#attempt = attempt;
  }

  get signal(): AbortSignal {
    return this.#attempt.signal;
  }
}

/** What the sender is handed: any other sender gets a plain object (a wrapper may spread it) with the signal made. */
function sendRequestOf(sender: Sender, request: SignedRequest, attempt: Attempt): SendRequest {
  if (sender.usesOnAbort === true) return new HookedSendRequest(request, attempt);
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    signal: attempt.signal,
    onAbort: attempt.onAbort,
  };
}

/**
 * One attempt up to the response's headers: credentials -> build -> sign -> send. `secrets`
 * collects the keys used, for the log lines (blanked there as a last line of defence).
 */
export async function sendAttempt(
  deps: AttemptDeps,
  call: ResolvedCall,
  attempt: Attempt,
  attempts: number,
  secrets: (string | undefined)[],
): Promise<ResponseLike> {
  call.signal?.throwIfAborted();
  attempt.phase = 'credentials';
  const creds =
    call.auth === 'skip' ? undefined : checkedCredentials(await credentialsOf(deps.credentials, attempt, call.context));
  // Stryker disable next-line StringLiteral: a phase is only ever compared with 'credentials' and 'sending'
  attempt.phase = 'signing';
  const clock = deps.now();
  const timestamp = Math.floor((clock + deps.clockOffsetMs) / 1000);
  // The signer trusts what the transport built (makeTc3Signer): a clock that is not a clock is refused here.
  if (!isUnixSeconds(timestamp))
    throw new UsageError(`must return milliseconds since the epoch, got ${String(clock)}`, { argument: 'now' });
  // A multipart or raw body loads its encoder on first use (prepareRequest); no await otherwise.
  const prepared = prepareRequest({
    endpoint: call.endpoint,
    action: call.request.action,
    version: deps.version,
    params: call.params,
    region: call.context.region,
    language: call.language,
    method: call.method,
    timestamp,
    unsignedPayload: deps.unsignedPayload,
    headers: call.headers,
    multipart: call.request.options.multipart,
    body: call.request.options.body,
  });
  const built: BuiltRequest = prepared instanceof Promise ? await prepared : prepared;
  const request =
    creds === undefined
      ? withField(built, 'headers', withField(built.headers, 'Authorization', 'SKIP'))
      : await deps.signRequest(built, creds);
  if (deps.logger?.debug) {
    secrets.push(creds?.secretKey, creds?.token);
    await loadDebugLines();
  }
  // An attempt that timed out (or was aborted) while it signed or loaded code sends nothing, and
  // logs no request line: its reason says so (a TimeoutError that did not reach the server, so
  // the call may try again).
  if (attempt.aborted) throw attempt.reason;
  if (deps.logger?.debug)
    writeDebug(
      deps.logger,
      `→ ${request.method} ${call.endpoint.origin} ${deps.service}:${call.request.action} attempt ${attempts}`,
      request.headers,
      secrets,
    );
  attempt.phase = 'sending';
  // `return await`: returning the promise itself from an async function costs two more turns.
  return await deps.sender(sendRequestOf(deps.sender, request, attempt));
}
