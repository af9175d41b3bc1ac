import type * as LogLine from './log-line';

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

/** log-line.ts, loaded with the first debug line (a separate chunk in browser bundles); undefined when it could not be. */
let lineMaker: Promise<typeof LogLine | undefined> | undefined;

/**
 * Writes a debug line: `text`, then `headers` redacted, with every known secret blanked. The
 * redaction code loads with the first line, so a transport without a debug logger never loads it;
 * should it fail to load (a browser gone offline), the line is not written rather than written
 * unredacted, and the next line tries again.
 */
export async function writeDebug(
  logger: Logger,
  text: string,
  headers: Readonly<Record<string, string>> | undefined,
  secrets: readonly (string | undefined)[],
): Promise<void> {
  const made = await (lineMaker ??= import('./log-line').catch(() => (lineMaker = undefined)));
  if (made !== undefined) logger.debug?.(made.logLine(text, headers, secrets));
}
