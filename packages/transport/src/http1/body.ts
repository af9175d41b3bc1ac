// The headers and the body of one response. The body is handed to its reader as an async iterable
// with backpressure: past a high-water mark of unread bytes the socket is paused until the reader
// catches up.
import type { Socket } from 'node:net';

/** Past this many unread body bytes the socket is paused until the reader catches up. */
export const HIGH_WATER_BYTES = 1024 * 1024;

export class BodyQueue implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: unknown;
  private hasFailed = false;
  private wake: (() => void) | undefined;

  /** `release` closes the connection when the reader leaves before the end. */
  constructor(
    private readonly socket: Socket,
    private readonly release: () => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.queued += chunk.byteLength;
    if (this.queued > HIGH_WATER_BYTES) this.socket.pause();
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /** The body broke: the reader gets `reason` after the chunks queued, or at once with `dropQueued` (the read was cancelled). */
  fail(reason: unknown, dropQueued = false): void {
    if (this.ended || this.hasFailed) return;
    this.hasFailed = true;
    this.failure = reason;
    if (dropQueued) {
      this.chunks.length = 0;
      this.queued = 0;
    }
    this.wake?.();
  }

  /** The queue is its own iterator (read once): no iterator object and closures per response. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queued -= chunk.byteLength;
        if (!this.ended && this.queued <= HIGH_WATER_BYTES && this.socket.isPaused()) this.socket.resume();
        return { done: false, value: chunk };
      }
      if (this.ended) return { done: true, value: undefined };
      if (this.hasFailed) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /**
   * Leaving early (a capped body, a stream the caller stopped) closes the connection: the rest of
   * the body is never read, so the socket cannot serve another request.
   */
  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.ended) {
      this.fail(new Error('the body was released before its end'));
      this.release();
    }
    return { done: true, value: undefined };
  }
}

/** The headers of a response as fetch's `Headers.get` reads them (a class: no closure per response). */
export class ResponseHeaders implements Pick<Headers, 'get'> {
  constructor(private readonly fields: Map<string, string>) {}

  get(name: string): string | null {
    return this.fields.get(name.toLowerCase()) ?? null;
  }
}
