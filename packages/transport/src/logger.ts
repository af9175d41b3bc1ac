import { redactHeaders, redactText } from '@x/errors';

/**
 * Where the transport writes its lines: `console` works, as does any object with these methods.
 * `debug` gets one line per request and response, `warn` one per retry. Lines never contain the
 * Authorization header, the session token or the SecretKey, nor request params (which may hold
 * passwords such as `LoginSettings.Password`).
 */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** A line with headers redacted, and any known secret blanked as a last line of defence. */
export function logLine(
  text: string,
  headers: Readonly<Record<string, string>> | undefined,
  secrets: readonly (string | undefined)[],
): string {
  const line = headers === undefined ? text : `${text} ${JSON.stringify(redactHeaders(headers))}`;
  return redactText(line, secrets);
}
