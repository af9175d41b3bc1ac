import { UsageError } from '@x/errors';

/**
 * Headers that frame the message or manage the connection: the sender writes them itself (or
 * never), so a caller's copy would frame the body twice (request smuggling) or break the
 * connection's state. Refused for every sender.
 */
const CONNECTION_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** Throws a UsageError naming the first caller header that only the sender may set. */
export function refuseConnectionHeader(name: string): void {
  if (CONNECTION_HEADERS.has(name.toLowerCase())) {
    throw new UsageError(
      `${name} is a framing or connection header that the sender manages; it cannot be set by a caller`,
      { argument: `headers.${name}` },
    );
  }
}
