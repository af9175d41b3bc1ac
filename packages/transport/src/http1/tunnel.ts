// A CONNECT tunnel through an http:// proxy (RFC 9110 §9.3.6): the socket it yields carries the
// TLS session with the API endpoint end to end.
import type { Socket } from 'node:net';
import { nodeNet } from '../node-builtins';
import { proxyAuthorization } from '../proxy';
import { findHeadEnd, MAX_HEAD_BYTES, parseResponseHead, ProtocolError } from './head';

export interface TunnelHandlers {
  /** The proxy answered 2xx: the socket is the tunnel, with no listener of ours left on it. */
  readonly open: (socket: Socket) => void;
  /** The tunnel could not be made (the socket is already destroyed). */
  readonly fail: (detail: string, cause?: unknown) => void;
}

/** Asks `proxy` for a tunnel to `host:port`; returns the proxy socket (destroy it to cancel). */
export function openTunnel(proxy: URL, host: string, port: number, handlers: TunnelHandlers): Socket {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const tunnel = nodeNet().connect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) });
  const authorization = proxyAuthorization(proxy);
  tunnel.write(
    `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`,
  );
  let received = Buffer.alloc(0);
  let settled = false;
  const refuse = (detail: string, cause?: unknown) => {
    if (settled) return;
    settled = true;
    tunnel.destroy();
    handlers.fail(detail, cause);
  };
  const onError = (err: Error) => refuse(`the proxy ${proxy.host} could not be reached: ${err.message}`, err);
  const onClose = () => refuse(`the proxy ${proxy.host} closed the connection before the tunnel was open`);
  const onData = (chunk: Buffer) => {
    // Stryker disable next-line MethodExpression: scanning from 0 finds the same head end (the bytes before were checked), only later
    const from = Math.max(0, received.length - 3);
    received = Buffer.concat([received, chunk]);
    let end: number;
    let status: number;
    try {
      end = findHeadEnd(received, from);
      // Stryker disable next-line EqualityOperator: findHeadEnd never returns 0 (a head ends with CRLF CRLF)
      if (end < 0) {
        if (received.length > MAX_HEAD_BYTES) refuse(`the proxy ${proxy.host} sent an oversized answer to CONNECT`);
        return;
      }
      status = parseResponseHead(received.toString('latin1', 0, end - 4)).status;
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      return refuse(`the proxy ${proxy.host} answered CONNECT with bytes that are not HTTP/1.1: ${err.message}`, err);
    }
    if (status < 200 || status > 299) return refuse(`the proxy ${proxy.host} refused the tunnel: HTTP ${status}`);
    // TLS starts with the client's hello: a proxy that sends more is not a tunnel.
    if (end < received.length) return refuse(`the proxy ${proxy.host} sent bytes after its answer to CONNECT`);
    // Stryker disable next-line BooleanLiteral: the listeners that read `settled` are removed on the next lines
    settled = true;
    tunnel.off('data', onData);
    tunnel.off('error', onError);
    tunnel.off('close', onClose);
    handlers.open(tunnel);
  };
  tunnel.on('data', onData);
  tunnel.on('error', onError);
  tunnel.on('close', onClose);
  return tunnel;
}
