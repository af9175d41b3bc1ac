import { REDACTED } from './redacted';

export { REDACTED } from './redacted';

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

/**
 * True when a field, parameter or header of this name holds a secret: any name (any case, `_` and
 * `-` ignored) containing `token`, `password`/`passwd`, `signature`, `authorization`, `privatekey`,
 * or `secret` unless it ends in `id` (a SecretId names a key, it is not one). Broad on purpose: an
 * excerpt that hides a pagination token costs nothing, one that shows a session token costs a lot.
 */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return (
    /token|passw(?:or)?d|signature|authorization|privatekey/.test(n) || (n.includes('secret') && !n.endsWith('id'))
  );
}

// A field name, an optional closing quote, then `:` or `=`: JSON, query strings, forms, headers.
const FIELD = /([A-Za-z0-9_-]+)["']?[ \t\r\n]*[:=][ \t\r\n]*/g;
// Where an unquoted value ends.
const UNQUOTED_END = /[,}\]&;\s<]/g;

/**
 * `text` with the value of every secret-bearing field (see {@link isSecretName}) replaced by
 * {@link REDACTED}. Works on text that is not valid JSON: a value cut off by the end of the text,
 * an unquoted value, single quotes, `key=value` pairs. An object or array under such a name is
 * blanked whole (`"Token":["abc"]` would otherwise show it). Linear in the length of `text`.
 */
export function redactSecretFields(text: string): string {
  let out = '';
  let copied = 0;
  FIELD.lastIndex = 0;
  for (let match = FIELD.exec(text); match !== null; match = FIELD.exec(text)) {
    const start = FIELD.lastIndex;
    if (!isSecretName(match[1]!) || start >= text.length) continue;
    const first = text[start]!;
    if (text.startsWith(REDACTED, start)) continue;
    let valueStart = start;
    let end: number;
    if (first === '"' || first === "'") {
      valueStart = start + 1;
      end = closingQuote(text, valueStart, first);
    } else if (first === '{' || first === '[') {
      end = closingBracket(text, start);
    } else {
      UNQUOTED_END.lastIndex = start;
      end = UNQUOTED_END.exec(text)?.index ?? text.length;
      if (end === start) continue;
    }
    out += text.slice(copied, valueStart) + REDACTED;
    copied = end;
    FIELD.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Index of the quote that ends a string starting at `from` (escapes skipped), or the text's length. */
function closingQuote(text: string, from: number, quote: string): number {
  let at = from;
  // Stryker disable next-line EqualityOperator: `at <= text.length` reads text[length] (undefined, never the quote), steps past the end, and Math.min below returns the same index.
  while (at < text.length && text[at] !== quote) at += text[at] === '\\' ? 2 : 1;
  return Math.min(at, text.length);
}

/** Index just past the bracket that closes the one at `from` (strings skipped), or the text's length. */
function closingBracket(text: string, from: number): number {
  let depth = 0;
  // Stryker disable next-line EqualityOperator: `at <= text.length` reads undefined once, which is no quote or bracket, then returns text.length as the loop's end does.
  for (let at = from; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '"' || ch === "'") at = closingQuote(text, at + 1, ch);
    else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && --depth === 0) return at + 1;
  }
  return text.length;
}
