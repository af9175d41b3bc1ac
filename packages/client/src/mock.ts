import { UsageError, type CallContext, type ErrorCatalog } from '@x/errors';
import type { CallKind, CallRequest, Middleware, ResultOf, Sender, SendRequest } from '@x/transport';
import type {
  ActionErrorCode,
  ActionName,
  ApiOf,
  ApiShape,
  EventOf,
  InputOf,
  OutputOf,
  ServiceDescriptor,
  UntypedApi,
} from './api';
import { createClient, type Client } from './client';
import {
  matchesPattern,
  mockApiError,
  pickAnswer,
  withRequestId,
  type ErrorSetting,
  type MockAnswer,
  type MockCall,
  type MockRule,
} from './mock-rules';

export { matchesPattern, type MockCall } from './mock-rules';

/** A partial picture of the params: every key given must match (objects deeply, arrays element by element). */
export type ParamsPattern<T> = T extends readonly (infer Item)[]
  ? readonly ParamsPattern<Item>[]
  : T extends Uint8Array
    ? T
    : T extends object
      ? { readonly [K in keyof T]?: ParamsPattern<T[K]> }
      : T;

/** Which calls a rule answers: a params pattern, or a predicate over the params. */
export type ParamsMatch<Input> = ParamsPattern<Input> | ((params: Input) => boolean);

/** What `resolves` takes: the action's output, RequestId optional (a fresh one is made). */
export type MockOutput<Api extends ApiShape, Action extends string> = Omit<OutputOf<Api, Action>, 'RequestId'> & {
  readonly RequestId?: string;
};

/** The answers of one `mock.on(...)` rule; each method returns the rule, so answers chain. */
export interface MockBehavior<Api extends ApiShape, Action extends string> {
  /** Answer every matching call with this output. */
  resolves(output: MockOutput<Api, Action>): MockBehavior<Api, Action>;
  /** Answer the next matching call with this output (once-answers are used first, in order). */
  resolvesOnce(output: MockOutput<Api, Action>): MockBehavior<Api, Action>;
  /** Fail every matching call with the ApiError the server would send for `code` (a fresh RequestId, the catalog's category and hint). */
  rejects(code: ActionErrorCode<Api, Action>, message?: string): MockBehavior<Api, Action>;
  /** Fail every matching call with this error (a NetworkError, a TimeoutError...). */
  rejects(error: Error): MockBehavior<Api, Action>;
  rejectsOnce(code: ActionErrorCode<Api, Action>, message?: string): MockBehavior<Api, Action>;
  rejectsOnce(error: Error): MockBehavior<Api, Action>;
  /** Compute the answer from the params; throw to fail the call. */
  callsFake(
    fake: (
      params: InputOf<Api, Action>,
      call: MockCall<Action, InputOf<Api, Action>>,
    ) => MockOutput<Api, Action> | Promise<MockOutput<Api, Action>>,
  ): MockBehavior<Api, Action>;
  /** For streaming actions: `stream()` yields these events, then ends. */
  streams(events: readonly EventOf<Api, Action>[]): MockBehavior<Api, Action>;
}

/** Options of {@link mockClient}. */
export interface MockClientOptions {
  /** Service catalogs (e.g. `cvmErrors`): category, retryability and hint of the codes `rejects` answers. */
  readonly catalogs?: readonly ErrorCatalog[];
  /** Language of the errors' hints. Default en-US. */
  readonly language?: 'zh-CN' | 'en-US';
  /** The region calls report. Default `ap-guangzhou`. */
  readonly region?: string;
}

/** A {@link Client} that answers from rules instead of a server, and records what it was asked. */
export interface MockClient<Api extends ApiShape = UntypedApi> extends Client<Api> {
  /** Adds a rule for `action`: calls whose params match `match` (all calls without it). */
  on<Action extends ActionName<Api>>(
    action: Action,
    match?: ParamsMatch<InputOf<Api, Action>>,
  ): MockBehavior<Api, Action>;
  /** The calls received (of `action` only, when given), oldest first, answered or not. */
  calls<Action extends ActionName<Api>>(action?: Action): readonly MockCall<Action, InputOf<Api, Action>>[];
  /** Forgets every rule and every recorded call. */
  reset(): void;
  /** Forgets the recorded calls, keeps the rules. */
  resetCalls(): void;
}

const FAKE_CREDENTIALS = { secretId: 'AKIDMOCKCLIENT00000000000000000000', secretKey: 'mock-client-secret-key' };

/**
 * A client for unit tests that never touches the network: `mockClient(cvm).on('DescribeInstances').resolves({...})`.
 * It is a real {@link Client} (the same interface, the same argument checks, `paginate`, `dryRun`,
 * `isError`) whose calls are answered by the rules; a call no rule answers fails with a
 * UsageError naming the action, so a missing rule is never mistaken for an empty answer.
 *
 * @example
 * const mock = mockClient(cvm);
 * mock.on('DescribeInstances', { Limit: 1 }).resolves({ TotalCount: 1, InstanceSet: [] });
 * mock.on('StartInstances').rejects('InvalidInstanceId.NotFound');
 * await codeUnderTest(mock); // wherever a Client<CvmApi> is expected
 */
export function mockClient<const Descriptor extends ServiceDescriptor>(
  service: Descriptor,
  options?: MockClientOptions,
): MockClient<ApiOf<Descriptor>>;
export function mockClient(service: ServiceDescriptor, options: MockClientOptions = {}): MockClient {
  if (typeof service !== 'object' || service === null || typeof service.service !== 'string') {
    throw new UsageError('must be a service descriptor, e.g. cvm from @x/services/cvm, or { service, version }', {
      argument: 'mockClient(service)',
    });
  }
  const rules: MockRule[] = [];
  const calls: MockCall[] = [];
  const setting: ErrorSetting = { catalogs: options.catalogs ?? [], locale: options.language ?? 'en-US' };
  const find = (call: MockCall, context: CallContext) => findAnswer(service.service, rules, call, context);
  // Calls are answered here; streams go on to the sender below, which answers with real SSE bytes.
  const middleware: Middleware =
    (next) =>
    async <Kind extends CallKind>(request: CallRequest<Kind>, context: CallContext): Promise<ResultOf<Kind>> => {
      if (request.kind === 'stream') return next(request, context);
      const call: MockCall = { action: request.action, params: request.params, via: 'call', region: context.region };
      calls.push(call);
      const data = await settle(find(call, context), call, context, setting);
      return { data, requestId: data.RequestId, httpStatus: 200, attempts: 1, retryDelayMs: 0 } as ResultOf<Kind>;
    };
  const region = options.region ?? 'ap-guangzhou';
  const sender: Sender = (request) => {
    const call = streamCall(request, region);
    calls.push(call);
    return streamAnswer(
      call,
      { service: service.service, version: service.version, action: call.action, region: call.region },
      find,
      setting,
    );
  };
  const client = createClient(service, {
    region,
    credentials: FAKE_CREDENTIALS,
    retry: false,
    budget: false,
    middleware: [middleware],
    sender,
    catalogs: setting.catalogs,
    ...(options.language === undefined ? {} : { language: options.language }),
  });
  return Object.assign(client, {
    on: (action: string, match?: unknown) => addRule(rules, action, match),
    calls: (action?: string) => calls.filter((c) => action === undefined || c.action === action),
    reset: () => {
      rules.length = 0;
      calls.length = 0;
    },
    resetCalls: () => {
      calls.length = 0;
    },
  }) as MockClient;
}

/** The answer of the first rule that matches, or a UsageError naming the call no rule answers. */
function findAnswer(service: string, rules: readonly MockRule[], call: MockCall, context: CallContext): MockAnswer {
  const found = pickAnswer(rules, call.action, call.params);
  if (found !== undefined) return found;
  const which = rules.some((r) => r.action === call.action) ? ' with these params' : '';
  throw new UsageError(
    `the mock of ${service} has no answer for ${call.action}${which}: add mock.on('${call.action}').resolves(...)`,
    { argument: 'action', ...context },
  );
}

function addRule(rules: MockRule[], action: string, match: unknown): MockBehavior<UntypedApi, string> {
  if (typeof action !== 'string' || action === '')
    throw new UsageError('must be an action name, e.g. "DescribeInstances"', { argument: 'mock.on(action)' });
  const rule: MockRule = {
    action,
    match:
      match === undefined
        ? undefined
        : typeof match === 'function'
          ? (match as MockRule['match'])
          : (params) => matchesPattern(params, match),
    once: [],
    always: undefined,
  };
  rules.push(rule);
  const toAnswer = (codeOrError: unknown, message?: string): MockAnswer => {
    if (codeOrError instanceof Error) return { kind: 'throw', error: codeOrError };
    if (typeof codeOrError !== 'string' || codeOrError === '')
      throw new UsageError('must be an error code or an Error', { argument: 'rejects(code)' });
    return { kind: 'reject', code: codeOrError, message };
  };
  const behavior: MockBehavior<UntypedApi, string> = {
    resolves: (output) => set({ kind: 'resolve', output }),
    resolvesOnce: (output) => queue({ kind: 'resolve', output }),
    rejects: (codeOrError: unknown, message?: string) => set(toAnswer(codeOrError, message)),
    rejectsOnce: (codeOrError: unknown, message?: string) => queue(toAnswer(codeOrError, message)),
    callsFake: (fake) => set({ kind: 'fake', fake: fake as never }),
    streams: (events) => set({ kind: 'stream', events: [...events] }),
  };
  function set(next: MockAnswer) {
    rule.always = next;
    return behavior;
  }
  function queue(next: MockAnswer) {
    rule.once.push(next);
    return behavior;
  }
  return behavior;
}

async function settle(
  found: MockAnswer,
  call: MockCall,
  context: CallContext,
  setting: ErrorSetting,
): Promise<Record<string, unknown> & { RequestId: string }> {
  switch (found.kind) {
    case 'resolve':
      return withRequestId(found.output);
    case 'reject':
      throw mockApiError(found.code, found.message, context, setting);
    case 'throw':
      throw found.error;
    case 'fake': {
      const output = await found.fake(call.params as never, call);
      if (typeof output !== 'object' || output === null)
        throw new UsageError(`the fake of ${call.action} must return an output object`, { argument: 'callsFake' });
      return withRequestId(output as Record<string, unknown>);
    }
    case 'stream':
      throw new UsageError(`${call.action} is mocked as a stream: use stream(), not call()`, {
        argument: 'action',
        ...context,
      });
  }
}

/** The action and JSON params of a stream() request, as the transport signed them. */
function streamCall(request: SendRequest, region: string): MockCall {
  const action = request.headers['X-TC-Action'] ?? '';
  let params: Record<string, unknown> = {};
  try {
    if (typeof request.body === 'string' && request.body !== '')
      params = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    // A body the mock cannot read still gets an answer: its rules then see no params.
  }
  return { action, params, via: 'stream', region: request.headers['X-TC-Region'] ?? region };
}

/**
 * Answers a stream() request (the only kind that reaches the sender: calls are answered by the
 * middleware) with an event stream, or with the error envelope that the real parser turns into
 * an ApiError. A `resolves` rule streams its output as the only event.
 */
async function streamAnswer(
  call: MockCall,
  context: CallContext,
  find: (call: MockCall, context: CallContext) => MockAnswer,
  setting: ErrorSetting,
): Promise<Response> {
  const found = find(call, context);
  const requestId = crypto.randomUUID();
  if (found.kind === 'reject') {
    const error = mockApiError(found.code, found.message, context, setting);
    const body = JSON.stringify({
      Response: { Error: { Code: error.code, Message: error.serverMessage }, RequestId: requestId },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-tc-requestid': requestId },
    });
  }
  const events = found.kind === 'stream' ? found.events : [await settle(found, call, context, setting)];
  const text = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
  return new Response(text, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'x-tc-requestid': requestId },
  });
}
