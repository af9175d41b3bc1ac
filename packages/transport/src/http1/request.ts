// The bytes of a request head. Names and values are checked: a CR or LF in a value would let it
// inject headers of its own, and framing headers are the sender's alone.
import { UsageError } from '@x/errors';
import { refuseConnectionHeader } from '../request-headers';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e]/;
/**
 * Header names that passed both checks: a transport sends the same names on every call, so each
 * is checked once. Bounded (names chosen per call cannot grow it past this).
 */
const checkedNames = new Set<string>();
const MAX_CHECKED_NAMES = 512;

/** Throws a UsageError when `name` is not a token or is a header only the sender may set. */
function checkName(name: string): void {
  // Stryker disable next-line ConditionalExpression: a cache; checking the name again gives the same answer
  if (checkedNames.has(name)) return;
  if (!TOKEN.test(name))
    throw new UsageError(`${JSON.stringify(name)} is not a valid HTTP header name`, { argument: `headers.${name}` });
  refuseConnectionHeader(name);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits the cache's memory; every name is checked either way
  if (checkedNames.size < MAX_CHECKED_NAMES) checkedNames.add(name);
}

/** Serialises a request head: request line, Host, the caller's headers, then `extra` (lines the sender adds). */
export function requestHead(
  method: string,
  target: string,
  host: string,
  headers: Readonly<Record<string, string>>,
  extra: string,
): string {
  if (!/^[\x21-\x7e]+$/.test(target))
    throw new UsageError(
      'the request URL has a character HTTP does not allow in a request target (space, control or non-ASCII)',
      { argument: 'url' },
    );
  let head = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const name in headers) {
    const value = headers[name]!;
    checkName(name);
    if (BAD_VALUE.test(value)) {
      throw new UsageError(
        `the value of the ${name} header has a character HTTP does not allow (control characters and non-ASCII are refused)`,
        {
          argument: `headers.${name}`,
        },
      );
    }
    head += `${name}: ${value}\r\n`;
  }
  return `${head}${extra}\r\n`;
}
