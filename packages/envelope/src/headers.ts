/** Anything with `get(name)` (fetch `Headers`) or a plain record (node:http `IncomingHttpHeaders`). */
export type HeadersLike =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The value of header `name` (any case), or undefined. A repeated header gives its first value. */
export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== lower) continue;
    const value = record[key];
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

/** The RequestId a gateway put in the headers: `X-TC-RequestId`, else `X-TC-TraceId`. */
export function requestIdFromHeaders(headers: HeadersLike | undefined): string | undefined {
  return headerValue(headers, 'x-tc-requestid') || headerValue(headers, 'x-tc-traceid') || undefined;
}
