// What both entries export.
export {
  FORM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  MAX_GET_BYTES,
  MAX_POST_BYTES,
  REQUEST_CLIENT,
  TRANSPORT_VERSION,
  buildRequest,
  type BuildRequestInput,
  type BuiltRequest,
  type HttpMethod,
  type Language,
} from './build-request';
export { resolveEndpoint, type Endpoint, type EndpointInput } from './endpoint';
export { encodeRfc3986, flattenParams, serializeParams } from './serialize';
export { fetchSender, systemCodeOf } from './fetch-sender';
export type { SendRequest, Sender } from './sender';
export {
  READ_ACTION_PREFIXES,
  RetryBudget,
  backoffDelay,
  isReadAction,
  retryDecision,
  type RetryBudgetOptions,
  type RetryDecision,
  type RetryOptions,
} from './retry';
export { logLine, type Logger } from './logger';
export { sleep, untilAborted } from './signals';
export type {
  CallHandler,
  CallOptions,
  CallRequest,
  CallResult,
  CredentialsLike,
  CredentialsRequest,
  CredentialsSource,
  Middleware,
  StreamResult,
  Transport,
  TransportOptions,
} from './transport';
export type { Tc3SignInput, Tc3Signature, SignTc3 } from './tc3';
