/** What replaces a secret wherever `@x` prints or logs something that held one. */
export const REDACTED = '[REDACTED]';

/**
 * Header names (lower case) whose values are secrets or derived from them. The Authorization
 * header contains the SecretId and a signature; X-TC-Token is a session token.
 */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-tc-token', 'cookie', 'set-cookie']);

/** Parameter names (any case) whose values are secrets, in query strings, forms and JSON bodies. */
export const SENSITIVE_PARAMS: ReadonlySet<string> = new Set([
  'signature',
  'token',
  'secretkey',
  'tmpsecretkey',
  'sessiontoken',
  'secret_key',
  'webidentitytoken',
]);

/** A copy of `headers` with every sensitive value replaced by {@link REDACTED}. */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string | readonly string[] | undefined> {
  const out: Record<string, string | readonly string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value !== undefined && SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return out;
}

/**
 * `text` with each given secret replaced by {@link REDACTED}: a last line of defence for text that
 * may quote a secret (a proxy's error page, a user's fetch error). Secrets shorter than 4
 * characters are ignored, so a stray one-character "secret" cannot erase a whole message.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
