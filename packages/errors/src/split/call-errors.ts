// Not an export of the package: an entry of its build only, the counterpart of answer-errors.ts
// (see there). What a call needs before any answer: the base class, the errors of sending and the
// guards. This entry reaches them and not the answer's classes, so esbuild writes the two sets into
// different files.
export { TencentCloudError, brandOf } from '../tencent-cloud-error';
export { UsageError } from '../usage-error';
export { NetworkError } from '../network-error';
export { TimeoutError } from '../timeout-error';
export { CredentialsError } from '../credentials-error';
export { isApiError, isTimeoutError } from '../guards';
export { REDACTED } from '../redacted';
export { loadErrorTexts } from '../texts';
