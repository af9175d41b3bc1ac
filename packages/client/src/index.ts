export {
  createClient,
  type ActionApiError,
  type CallOptions,
  type Client,
  type ClientOptions,
  type DryRunResult,
  type EventStream,
  type ServiceClientOptions,
  type TimeoutOption,
} from './client';
export type {
  ActionErrorCode,
  ActionName,
  ActionShape,
  ApiOf,
  ApiShape,
  ArrayFieldOf,
  EventOf,
  InputOf,
  ItemOf,
  OutputOf,
  ServiceDescriptor,
  StreamingActionName,
  UntypedApi,
} from './api';
export { RegionBreaker, type BreakerState, type RegionFailoverOptions } from './region-breaker';
export { paginateItems, type PageFetcher, type PaginateOptions } from './paginate';
export { toArray } from './paging';
export type {
  CursorFieldOf,
  CursorName,
  CursorPagedAction,
  DryRunActionName,
  OffsetPagedAction,
  Page,
  Paginator,
} from './paging-types';
// What a middleware or a sender of your own is written against (createClient's `middleware`, `sender`).
export type { CallHandler, CallRequest, CallResult, Middleware, SendRequest, Sender } from '@x/transport';
// The errors users catch, so they rarely need @x/errors itself.
export {
  ApiError,
  CredentialsError,
  EnvelopeError,
  NetworkError,
  TencentCloudError,
  TimeoutError,
  UsageError,
  defineErrorCatalog,
  describeError,
  isApiError,
  isCredentialsError,
  isEnvelopeError,
  isNetworkError,
  isTencentCloudError,
  isTimeoutError,
  isUsageError,
  type CommonErrorCode,
  type ErrorCategory,
  type ErrorCode,
} from '@x/errors';
export {
  fromAssumeRole,
  fromEnv,
  staticCredentials,
  chain,
  type CredentialProvider,
  type Credentials,
  type CredentialsInput,
} from '@x/credentials';
