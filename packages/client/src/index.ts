export { createClient, type CallOptions, type Client, type ClientOptions, type DryRunResult, type EventStream, type TimeoutOption } from './client';
export type { ActionName, ApiShape, ArrayFieldOf, EventOf, InputOf, ItemOf, OutputOf, UntypedApi } from './api';
export type { CvmApi, CvmFilter, CvmInstance, CvmInstanceState, CvmPlacement } from './cvm-api';
export type { HunyuanApi, HunyuanChatEvent, HunyuanMessage, HunyuanUsage } from './hunyuan-api';
export { paginateItems, type PageFetcher, type PaginateOptions } from './paginate';
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
export { fromAssumeRole, fromEnv, staticCredentials, chain, type CredentialProvider, type Credentials, type CredentialsInput } from '@x/credentials';
