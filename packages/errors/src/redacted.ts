// Its own file, apart from redact.ts: what every credentials object prints is needed up front,
// the redaction of headers, log lines and body excerpts only with a logger or a failed answer
// (browser bundles load redact.ts then; see split/).

/** What replaces a secret wherever `@x` prints or logs something that held one. */
export const REDACTED = '[REDACTED]';
