import type { ResponseLike } from '@x/envelope';

/** A signed request, ready to go on the wire. */
export interface SendRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or bytes (multipart and raw bodies); senders send either as is (Content-Length: its byte length). */
  readonly body?: string | Uint8Array | undefined;
  /**
   * Aborts the request and the reading of its body. For a sender that sets `usesOnAbort`, the
   * transport makes it on first read (a getter): creating an AbortSignal costs ~7 µs on Node 20.
   */
  readonly signal: AbortSignal;
  /**
   * A cheaper way to hear of an abort than a listener on `signal`: a sender may register one
   * function here, which the transport calls with the reason when it aborts the attempt (at once
   * if it already has). Senders that do not use it must listen on `signal`.
   */
  readonly onAbort?: ((cancel: (reason: unknown) => void) => void) | undefined;
}

/**
 * Sends one HTTP request. Resolves with the response as soon as its headers arrive (the body is
 * read afterwards); rejects with a NetworkError when no response came, or with the signal's
 * reason when it was aborted.
 */
export type Sender = ((request: SendRequest) => Promise<ResponseLike>) & {
  /**
   * Set to true by a sender that always registers with `request.onAbort` and, when called there,
   * ends the request and fails the reads of its response body (the Node sender does). The
   * transport then creates the attempt's `signal` only if the sender reads it, and reads the body
   * with no listener of its own. Any other sender gets a plain request object with its signal.
   */
  readonly usesOnAbort?: boolean | undefined;
};
