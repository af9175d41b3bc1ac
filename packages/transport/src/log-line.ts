import { redactHeaders, redactText } from '@x/errors';

// The redaction of debug lines, loaded before the first request line (logger.ts): browser bundles
// keep it, and the redaction code of @x/errors with it, out of the first download.

/** A line with headers redacted, and any known secret blanked as a last line of defence. */
export function logLine(
  text: string,
  headers: Readonly<Record<string, string>> | undefined,
  secrets: readonly (string | undefined)[],
): string {
  const line = headers === undefined ? text : `${text} ${JSON.stringify(redactHeaders(headers))}`;
  return redactText(line, secrets);
}
