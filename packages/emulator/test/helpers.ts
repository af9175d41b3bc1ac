import { request } from 'node:http';
import { createTransport, type TransportOptions } from '@x/transport';
import type { Emulator } from '../src/index';

/** A signing client for the emulator: @x/transport with retries off, so tests see raw answers. */
export function client(emulator: Emulator, service: string, version: string, extra: Partial<TransportOptions> = {}) {
  return createTransport({
    service,
    version,
    region: 'ap-guangzhou',
    endpoint: emulator.url,
    credentials: emulator.credentials,
    retry: false,
    ...extra,
  });
}

export const cvm = (emulator: Emulator, extra: Partial<TransportOptions> = {}) =>
  client(emulator, 'cvm', '2017-03-12', extra);

/** The error a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** A raw HTTP exchange, for what a signing client would never send. */
export function raw(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/', url);
    const headers = {
      ...options.headers,
      ...(options.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) }),
    };
    const req = request(target, { method: options.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const errorCode = (body: string): string | undefined =>
  (JSON.parse(body) as { Response?: { Error?: { Code?: string } } }).Response?.Error?.Code;
