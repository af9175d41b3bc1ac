// Not an export of the package: an entry of its build only, so that tsup (esbuild's code
// splitting) writes what only a failed answer needs (ApiError, EnvelopeError, describeError, the
// code table, and the redaction of body excerpts, which @x/transport's log lines use too) into
// dist files of their own, apart from what sending a call needs (call-errors.ts). A browser
// bundler assigns whole dist files to chunks: in one file with UsageError, ApiError would be in the
// first download, though @x/envelope makes these only after a server answered (envelope-checks.ts
// and body-source.ts there, loaded then). tests/runtimes/test/lazy-parts.test.ts checks the chunks.
export { ApiError } from '../api-error';
export { EnvelopeError, excerpt } from '../envelope-error';
export { describeError } from '../describe';
export { COMMON_ERROR_CATALOG, defineErrorCatalog } from '../catalog';
export { redactHeaders, redactText } from '../redact';
// The classes a call needs before any answer, again: ApiError's file already reaches the base
// class, UsageError and the texts' loader, so with these the whole up-front set is reached by the
// same entries and esbuild writes it into one file. Two files would be two chunks in a Vite build
// (Rolldown keeps a file that lazy chunks share apart from the entry chunk: rolldown/rolldown#9963),
// each gzipped on its own: -0.27 KB in the first download as one.
export { NetworkError } from '../network-error';
export { TimeoutError } from '../timeout-error';
export { CredentialsError } from '../credentials-error';
export { isApiError, isTimeoutError } from '../guards';
