// The three clients of the differential suite, each reduced to one outcome per request: the
// answer (status and a digest of every body byte), an error, or a hang (nothing settled within
// the case's time). node:http (keep-alive Agent) and undici (Pool) are the oracles.
import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { Pool } from 'undici';
import { nodeSender, type ClosableSender } from '../../src/index.node';

export type Outcome =
  | {
      readonly kind: 'ok';
      readonly status: number;
      readonly bytes: number;
      readonly digest: string;
      readonly text: string;
    }
  | { readonly kind: 'error'; readonly error: unknown; readonly message: string }
  | { readonly kind: 'hang' };

export interface Client {
  readonly name: 'x' | 'node:http' | 'undici';
  send(path: string, timeoutMs: number): Promise<Outcome>;
  close(): Promise<void>;
}

const BODY = '{}';
const HANG = new Error('hang detected by the differential suite');

/** Hashes body bytes as they come (a 100 MB body is never held); keeps the first 200 as text. */
class Digest {
  private readonly hash = createHash('sha1');
  bytes = 0;
  private head = '';
  add(chunk: Uint8Array): void {
    this.hash.update(chunk);
    if (this.bytes < 200) this.head += Buffer.from(chunk.subarray(0, 200 - this.bytes)).toString('latin1');
    this.bytes += chunk.byteLength;
  }
  outcome(status: number): Outcome {
    return { kind: 'ok', status, bytes: this.bytes, digest: this.hash.digest('hex'), text: this.head };
  }
}

const failed = (error: unknown): Outcome => ({
  kind: 'error',
  error,
  message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
});

export function xClient(origin: string): Client {
  const sender: ClosableSender = nodeSender({ env: {} });
  return {
    name: 'x',
    async send(path, timeoutMs) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(HANG), timeoutMs);
      try {
        const response = await sender({
          method: 'POST',
          url: `${origin}${path}`,
          headers: { 'Content-Type': 'application/json' },
          body: BODY,
          signal: controller.signal,
        });
        const digest = new Digest();
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) digest.add(chunk);
        return digest.outcome(response.status);
      } catch (err) {
        return err === HANG || controller.signal.aborted ? { kind: 'hang' } : failed(err);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      sender.close();
    },
  };
}

export function nodeHttpClient(origin: string): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    name: 'node:http',
    send: (path, timeoutMs) =>
      new Promise<Outcome>((resolve) => {
        let settled = false;
        const settle = (outcome: Outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        };
        const request = httpRequest(
          `${origin}${path}`,
          { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': BODY.length } },
          (response) => {
            const digest = new Digest();
            response.on('data', (chunk: Buffer) => digest.add(chunk));
            response.on('end', () => settle(digest.outcome(response.statusCode ?? -1)));
            response.on('error', (err) => settle(failed(err)));
            response.on('close', () => {
              if (!response.complete) settle(failed(new Error('the response closed before its end')));
            });
          },
        );
        const timer = setTimeout(() => {
          settle({ kind: 'hang' });
          request.destroy();
        }, timeoutMs);
        request.on('error', (err) => settle(failed(err)));
        request.end(BODY);
      }),
    async close() {
      agent.destroy();
    },
  };
}

export function undiciClient(origin: string): Client {
  const pool = new Pool(origin, { connections: 4 });
  return {
    name: 'undici',
    async send(path, timeoutMs) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(HANG), timeoutMs);
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: BODY,
          signal: controller.signal,
        });
        const digest = new Digest();
        for await (const chunk of response.body) digest.add(chunk as Uint8Array);
        return digest.outcome(response.statusCode);
      } catch (err) {
        return controller.signal.aborted ? { kind: 'hang' } : failed(err);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await pool.destroy().catch(() => undefined);
    },
  };
}

export const CLIENTS = { x: xClient, 'node:http': nodeHttpClient, undici: undiciClient } as const;
