export {
  DEFAULT_SECRET_ID,
  DEFAULT_SECRET_KEY,
  startEmulator,
  type Emulator,
  type EmulatorCredentials,
  type EmulatorOptions,
} from './emulator';
export { ApiFailure, defaultMessage } from './api-failure';
export { loopbackAgent } from './loopback-agent';
export type { Fault, FaultRule, Faults } from './faults';
export { CVM_REGIONS, seedInstances, type CvmInstance } from './fixtures/cvm';
export { EMULATOR_ACCOUNT } from './fixtures/sts';
export { STREAM_ERROR_PROMPT } from './fixtures/hunyuan';
export type {
  ActionHandler,
  HandlerContext,
  Handlers,
  IssuedCredentials,
  RecordedRequest,
  ServiceSettings,
  StreamReply,
} from './types';
