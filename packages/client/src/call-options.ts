import type { CallOptions as TransportCallOptions } from '@x/transport';
import type { CallOptions, TimeoutOption } from './client';

/** The transport's names for the deprecated `timeout` option (which the transport's own names override). */
export function withTimeouts<O extends { readonly timeout?: TimeoutOption | undefined }>(
  options: O,
): Omit<O, 'timeout'> {
  const { timeout, ...rest } = options;
  if (timeout === undefined) return rest;
  const deadlines =
    typeof timeout === 'number'
      ? { timeoutMs: timeout }
      : { timeoutMs: timeout.attemptMs, totalTimeoutMs: timeout.totalMs };
  return { ...deadlines, ...rest };
}

export function callOptions(options: CallOptions | undefined): TransportCallOptions {
  return options === undefined ? {} : options.timeout === undefined ? options : withTimeouts(options);
}
