import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

export interface ProxyEnvironment {
  readonly HTTPS_PROXY?: string | undefined;
  readonly https_proxy?: string | undefined;
  readonly HTTP_PROXY?: string | undefined;
  readonly http_proxy?: string | undefined;
  readonly NO_PROXY?: string | undefined;
  readonly no_proxy?: string | undefined;
}

/**
 * The proxy to use for `target`, from HTTPS_PROXY / HTTP_PROXY (either case), or undefined when
 * there is none or NO_PROXY excludes the host (`*`, exact hosts, `.suffix` or `suffix`, `host:port`).
 */
export function proxyFor(target: URL, env: ProxyEnvironment): URL | undefined {
  const raw = target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = target.hostname.toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const [name = '', entryPort] = entry.toLowerCase().split(':');
    if (entryPort && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/**
 * An https agent that reaches its targets through an HTTP proxy's CONNECT tunnel, reusing
 * tunnels with keep-alive like any agent. One per proxy per transport.
 */
export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    options: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(
    options: { host?: string | null; port?: number | null; servername?: string },
    callback: (err: Error | null, socket?: Duplex) => void,
  ): Duplex | undefined {
    const host = options.host ?? 'localhost';
    const port = options.port ?? 443;
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (this.proxy.username) {
      headers['proxy-authorization'] = `Basic ${btoa(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`)}`;
    }
    const connectRequest = httpRequest({
      host: this.proxy.hostname,
      port: this.proxy.port || 80,
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers,
    });
    connectRequest.once('connect', (response, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`the proxy ${this.proxy.host} refused the tunnel: HTTP ${response.statusCode}`));
        return;
      }
      const tls = tlsConnect({ ...(options as ConnectionOptions), host, port, socket, servername: options.servername ?? host });
      tls.once('secureConnect', () => callback(null, tls));
      tls.once('error', (err) => callback(err));
    });
    connectRequest.once('error', (err) => callback(err));
    connectRequest.end();
    return undefined;
  }
}
