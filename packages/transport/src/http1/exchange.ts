// One request and the way its outcome gets back to the caller.
import { NetworkError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { systemCodeOf } from '../fetch-sender';
import type { BodyQueue } from './body';

/** What a pool needs of one request: its bytes and where its answer goes. */
export interface Exchange {
  readonly method: string;
  /** The request bytes (head and body). */
  readonly data: string | Uint8Array;
  readonly reject: (reason: unknown) => void;
  readonly resolve: (response: ResponseLike) => void;
  /** Set once the exchange is over (answered and read, failed, or cancelled). */
  done: boolean;
  /** Whether the response head was handed out (failures go to the body from then on). */
  answered: boolean;
  /** Set once the request was replayed on a fresh connection (it is replayed at most once). */
  replayed?: boolean;
  /** The connection carrying it (undefined while it waits for one). */
  connection?: { destroy(): void } | undefined;
  body?: BodyQueue | undefined;
  /** Called once when the exchange is over, whatever the outcome. */
  onDone?: (() => void) | undefined;
}

export function completeExchange(exchange: Exchange): void {
  if (exchange.done) return;
  exchange.done = true;
  exchange.onDone?.();
}

/** Ends an exchange with a failure: the promise rejects, or the body throws once read. */
export function failExchange(exchange: Exchange, reason: unknown): void {
  if (exchange.done) return;
  if (exchange.answered) exchange.body?.fail(reason);
  else exchange.reject(reason);
  completeExchange(exchange);
}

export function chain(first: (() => void) | undefined, second: () => void): () => void {
  return first === undefined ? second : () => (first(), second());
}

/** Errors that prove the request never left this machine (the connection was never made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The NetworkError of an exchange whose connection closed (or broke) before its answer ended. */
export function closedError(exchange: Exchange, error: unknown, endpoint: string, connected: boolean): NetworkError {
  const cause =
    error ??
    new Error(
      exchange.answered
        ? 'the connection closed before the response body ended'
        : 'the server closed the connection without answering',
    );
  const code = systemCodeOf(cause);
  return new NetworkError({
    detail: cause instanceof Error && cause.message ? cause.message : 'the request failed',
    endpoint,
    systemCode: code,
    // Stryker disable next-line ConditionalExpression: `code === undefined` is a shortcut: NOT_SENT.has(undefined) is false
    mayHaveReachedServer: connected && (code === undefined || !NOT_SENT.has(code)),
    cause,
  });
}
