import { UsageError } from '@x/errors';

export interface EndpointInput {
  /** The service, e.g. `cvm`. Also the signing service, whatever the host is. */
  readonly service: string;
  readonly region?: string | undefined;
  /** `china` (default): `tencentcloudapi.com`; `intl`: the international site. */
  readonly site?: 'china' | 'intl' | undefined;
  /** Use the region-pinned host `<service>.<region>.tencentcloudapi.com`. Financial regions always are. */
  readonly regionPinned?: boolean | undefined;
  /** An explicit endpoint wins: `https://host[:port]`, `http://127.0.0.1:8080`, or a bare host (https). */
  readonly endpoint?: string | undefined;
}

export interface Endpoint {
  /** The origin to send to, e.g. `https://cvm.tencentcloudapi.com`. */
  readonly origin: string;
  /** The Host header value: the host name, with `:port` only when the port is not the scheme's default. */
  readonly host: string;
  /** The signing service: always the `service` input. */
  readonly service: string;
}

const SERVICE = /^[a-z][a-z0-9-]*$/;
const REGION = /^[a-z]+-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Where a call goes:
 * - `<service>.tencentcloudapi.com` by default (nearest access point);
 * - `<service>.<region>.tencentcloudapi.com` with `regionPinned`, and always for financial
 *   regions (`*-fsi`), which are isolated;
 * - `<service>.intl.tencentcloudapi.com` with `site: 'intl'`;
 * - an explicit `endpoint` wins (scheme, host and port kept).
 * The signing service is always `service`, never derived from the host (the official Node SDK
 * derives it, and so breaks behind custom endpoints and proxies).
 */
export function resolveEndpoint(input: EndpointInput): Endpoint {
  const { service, region } = input;
  if (typeof service !== 'string' || !SERVICE.test(service)) {
    throw new UsageError(`must be a service name such as "cvm", got ${JSON.stringify(service)}`, {
      argument: 'service',
    });
  }
  if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) {
    throw new UsageError(`must be a region such as "ap-guangzhou", got ${JSON.stringify(region)}`, {
      argument: 'region',
    });
  }
  if (input.site !== undefined && input.site !== 'china' && input.site !== 'intl') {
    throw new UsageError(`must be "china" or "intl", got ${JSON.stringify(input.site)}`, { argument: 'site' });
  }
  if (input.endpoint !== undefined) return explicit(input.endpoint, service);
  const pinned = region !== undefined && (input.regionPinned === true || region.endsWith('-fsi'));
  const host =
    input.site === 'intl'
      ? `${service}.intl.tencentcloudapi.com`
      : pinned
        ? `${service}.${region}.tencentcloudapi.com`
        : `${service}.tencentcloudapi.com`;
  return { origin: `https://${host}`, host, service };
}

function explicit(endpoint: string, service: string): Endpoint {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new UsageError('must be a URL or host name', { argument: 'endpoint' });
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    throw new UsageError(`is not a valid URL: ${JSON.stringify(endpoint)}`, { argument: 'endpoint', cause: err });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`must use http or https, got ${url.protocol}`, { argument: 'endpoint' });
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new UsageError('must be an origin only (scheme, host, port): API 3.0 always posts to "/"', {
      argument: 'endpoint',
    });
  }
  // URL.host omits the scheme's default port, which is exactly what the Host header carries.
  return { origin: url.origin, host: url.host, service };
}
