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

/** log-line.ts once loaded (see loadDebugLines); undefined before, or while it could not be. */
let lines: typeof LogLine | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the redaction of debug lines (log-line.ts, with the redaction code of @x/errors): a
 * separate chunk in browser bundles, so a transport without a debug logger never loads it. The
 * transport awaits it before an attempt's request line, inside the attempt (a slow load times the
 * attempt out before anything is sent), so the answer's lines are written at once, never awaited
 * between a complete answer and its result. A load that fails leaves the lines unwritten rather
 * than unredacted; the next request tries again (Node; a browser keeps a failed module load until
 * the page reloads).
 */
export function loadDebugLines(): Promise<void> {
  if (lines !== undefined) return Promise.resolve();
  return (loading ??= import('./log-line').then(
    (module) => {
      lines = module;
    },
    () => {
      loading = undefined;
    },
  ));
}

/** Writes a debug line: `text`, then `headers` redacted, with every known secret blanked; none until loadDebugLines has loaded the redaction. */
export function writeDebug(
  logger: Logger,
  text: string,
  headers: Readonly<Record<string, string>> | undefined,
  secrets: readonly (string | undefined)[],
): void {
  if (lines !== undefined) logger.debug?.(lines.logLine(text, headers, secrets));
}
