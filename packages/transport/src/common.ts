// What both entries export.
export {
  MAX_GET_BYTES,
  MAX_POST_BYTES,
  buildRequest,
  type BuildRequestInput,
  type BuiltRequest,
  type HttpMethod,
  type Language,
} from './build-request';
export {
  OCTET_STREAM_CONTENT_TYPE,
  encodeMultipart,
  type EncodeMultipartOptions,
  type MultipartBody,
} from './multipart';
export { resolveEndpoint, type Endpoint, type EndpointInput } from './endpoint';
export { encodeRfc3986, flattenParams, serializeParams } from './serialize';
export { fetchSender } from './fetch-sender';
export type { SendRequest, Sender } from './sender';
export {
  DEFAULT_RETRY,
  READ_ACTION_PREFIXES,
  RetryBudget,
  backoffDelay,
  isReadAction,
  retryDecision,
  type RetryBudgetOptions,
  type RetryDecision,
  type RetryOptions,
} from './retry';
export type { Logger } from './logger';
export { untilAborted } from './signals';
export {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
  type CallOptions,
  type CredentialsLike,
  type CredentialsRequest,
  type CredentialsSource,
  type TransportOptions,
} from './options';
export type {
  AnswerInfo,
  CallHandler,
  CallKind,
  CallRequest,
  CallResult,
  Middleware,
  ResultOf,
  StreamResult,
  Transport,
} from './call';
export type { SignRequest, SignedRequest } from './sign-request';
export type { Tc3SignInput, Tc3Signature, SignTc3 } from './tc3';
