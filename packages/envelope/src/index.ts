export { headerValue, requestIdFromHeaders, type HeadersLike } from './headers';
export { MAX_BIGINT_DIGITS, parseJson, type IntegerMode, type JsonValue } from './json';
export { parseEnvelope, unwrap, type EnvelopeMeta, type EnvelopeResult, type ResponseData } from './parse-envelope';
export { DEFAULT_MAX_BODY_BYTES, readBody, type ReadBodyOptions, type ResponseLike } from './read-body';
export { readEnvelope, type ReadEnvelopeOptions } from './read-envelope';
export {
  DEFAULT_MAX_EVENT_BYTES,
  parseEventStream,
  type EventStreamOptions,
  type ServerSentEvent,
} from './event-stream';
