// Proxy configuration from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as curl and most
// HTTP clients read it. Only plain http:// proxies are spoken to: an https:// proxy (TLS to the
// proxy itself) or a SOCKS proxy is refused up front rather than sent a cleartext CONNECT with
// its credentials on the wrong port.
import { UsageError } from '@x/errors';

export interface ProxyEnvironment {
  readonly HTTPS_PROXY?: string | undefined;
  readonly https_proxy?: string | undefined;
  readonly HTTP_PROXY?: string | undefined;
  readonly http_proxy?: string | undefined;
  readonly NO_PROXY?: string | undefined;
  readonly no_proxy?: string | undefined;
}

/** Whether NO_PROXY (`*`, hosts, `.suffix` or `suffix`, `host:port`, IPv6 with or without brackets) excludes the target. */
function excluded(target: URL, env: ProxyEnvironment): boolean {
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return true;
    // "name", "name:port", "[v6]", "[v6]:port" or a bare IPv6 address ("::1").
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
    const [name = '', entryPort] =
      bracketed !== null ? [bracketed[1], bracketed[2]] : entry.split(':').length > 2 ? [entry] : entry.split(':');
    if (entryPort && entryPort !== port) continue;
    const bare = name.toLowerCase().replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/**
 * The proxy to use for `target`, from HTTPS_PROXY / HTTP_PROXY (either case), or undefined when
 * there is none or NO_PROXY excludes the host. A value without a scheme is an http:// proxy.
 * Throws a UsageError naming the variable when its value is not a URL or names a scheme other
 * than http:// (https:// and socks proxies are not supported).
 */
export function proxyFor(target: URL, env: ProxyEnvironment): URL | undefined {
  const names =
    target.protocol === 'https:' ? (['HTTPS_PROXY', 'https_proxy'] as const) : (['HTTP_PROXY', 'http_proxy'] as const);
  const variable = env[names[0]] ? names[0] : names[1];
  const raw = env[variable];
  if (!raw || excluded(target, env)) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError('is not a valid proxy URL (expected http://[user:password@]host:port)', {
      argument: variable,
    });
  }
  if (proxy.protocol !== 'http:') {
    throw new UsageError(
      `names a ${proxy.protocol}// proxy: only http:// proxies are supported (https targets still get end-to-end TLS through the proxy's CONNECT tunnel)`,
      { argument: variable },
    );
  }
  return proxy;
}

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray '%' in a raw password: send it as written
  }
};

/** The Proxy-Authorization value for the proxy URL's credentials (UTF-8 Basic), if it has any. */
export const proxyAuthorization = (proxy: URL): string | undefined =>
  proxy.username
    ? `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`, 'utf8').toString('base64')}`
    : undefined;
