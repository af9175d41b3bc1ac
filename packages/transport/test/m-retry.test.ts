// The retry policy on its own (it is public: `retryDecision`, `backoffDelay`, `RetryBudget`,
// `isReadAction`): every decision with its reason and cost, the budget's arithmetic at its edges,
// the backoff's bounds, and when `nextRetryDelay` ends a call.
import { ApiError, EnvelopeError, NetworkError, TimeoutError, UsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  READ_ACTION_PREFIXES,
  RetryBudget,
  backoffDelay,
  isReadAction,
  nextRetryDelay,
  resolveRetry,
  retryDecision,
  retryGo,
  type RetryDecision,
  type RetryState,
} from '../src/retry';

const network = (mayHaveReachedServer: boolean) =>
  new NetworkError({ detail: 'connection reset', mayHaveReachedServer });
const timeout = (scope: 'attempt' | 'total', mayHaveReachedServer?: boolean) =>
  new TimeoutError(
    mayHaveReachedServer === undefined ? { scope, timeoutMs: 1000 } : { scope, timeoutMs: 1000, mayHaveReachedServer },
  );
const gateway = (httpStatus: number | undefined) => new EnvelopeError({ reason: 'http-status', httpStatus });

describe('resolveRetry', () => {
  it('fills the documented defaults: 3 attempts, 100 ms, 500 ms when throttled, 10 s at most', () => {
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 3, baseDelayMs: 100, throttlingBaseDelayMs: 500, maxDelayMs: 10_000 });
    expect(resolveRetry(undefined)).toEqual(DEFAULT_RETRY);
    expect(resolveRetry({})).toEqual(DEFAULT_RETRY);
  });

  it('false is one attempt with the default waits', () => {
    expect(resolveRetry(false)).toEqual({ ...DEFAULT_RETRY, maxAttempts: 1 });
  });

  it('keeps every field given and never goes below one attempt', () => {
    const given = { maxAttempts: 7, baseDelayMs: 3, throttlingBaseDelayMs: 4, maxDelayMs: 5 };
    expect(resolveRetry(given)).toEqual(given);
    expect(resolveRetry({ maxAttempts: 0 }).maxAttempts).toBe(1);
    expect(resolveRetry({ maxAttempts: -2 }).maxAttempts).toBe(1);
    expect(resolveRetry({ baseDelayMs: 0 })).toEqual({ ...DEFAULT_RETRY, baseDelayMs: 0 });
  });
});

describe('RetryBudget', () => {
  it('starts full at 500 tokens; a retry costs 5, after a timeout 10; a success gives 1 back', () => {
    const budget = new RetryBudget();
    expect(budget.capacity).toBe(500);
    expect(budget.available).toBe(500);
    expect(budget.take('error')).toBe(true);
    expect(budget.available).toBe(495);
    expect(budget.take('timeout')).toBe(true);
    expect(budget.available).toBe(485);
    budget.succeeded();
    expect(budget.available).toBe(486);
  });

  it('never refills past its capacity', () => {
    const budget = new RetryBudget({ capacity: 20, successRefund: 7 });
    budget.succeeded();
    expect(budget.available).toBe(20);
    budget.take('error');
    budget.succeeded();
    expect(budget.available).toBe(20);
  });

  it('pays a retry that costs exactly what is left, then refuses and takes nothing', () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 6, timeoutCost: 12, successRefund: 2 });
    expect(budget.take('error')).toBe(true);
    expect(budget.available).toBe(6);
    expect(budget.take('timeout')).toBe(false);
    expect(budget.available).toBe(6);
    expect(budget.take('error')).toBe(true);
    expect(budget.available).toBe(0);
    expect(budget.take('error')).toBe(false);
    expect(budget.available).toBe(0);
    budget.succeeded();
    expect(budget.available).toBe(2);
  });

  it('one token short is refused', () => {
    const budget = new RetryBudget({ capacity: 9 });
    expect(budget.take('timeout')).toBe(false);
    expect(budget.available).toBe(9);
  });
});

describe('retryDecision', () => {
  const cases: [string, unknown, boolean, RetryDecision][] = [
    [
      'a throttled ApiError',
      new ApiError({ code: 'RequestLimitExceeded', serverMessage: 'slow down', requestId: 'r1' }),
      false,
      { retry: true, reason: 'RequestLimitExceeded is retryable', cost: 'error', throttled: true },
    ],
    [
      'a retryable server ApiError',
      new ApiError({ code: 'InternalError', serverMessage: 'oops', requestId: 'r2' }),
      false,
      { retry: true, reason: 'InternalError is retryable', cost: 'error', throttled: false },
    ],
    [
      'a client-input ApiError, even idempotent',
      new ApiError({ code: 'InvalidParameter', serverMessage: 'bad', requestId: 'r3' }),
      true,
      { retry: false, reason: 'InvalidParameter (client-input) is not retryable' },
    ],
    [
      'a network error before the server',
      network(false),
      false,
      { retry: true, reason: 'the request did not reach the server', cost: 'timeout', throttled: false },
    ],
    [
      'a network error that may have reached the server, idempotent',
      network(true),
      true,
      { retry: true, reason: 'network error on an idempotent call', cost: 'timeout', throttled: false },
    ],
    [
      'a network error that may have reached the server, not idempotent',
      network(true),
      false,
      {
        retry: false,
        reason:
          'the request may have reached the server and the call is not idempotent (mark it idempotent or give it a ClientToken)',
      },
    ],
    ['the total timeout', timeout('total', false), true, { retry: false, reason: 'the total deadline has passed' }],
    [
      'an attempt timeout before sending',
      timeout('attempt', false),
      false,
      { retry: true, reason: 'the attempt timed out before the request was sent', cost: 'timeout', throttled: false },
    ],
    [
      'an attempt timeout while sending, idempotent',
      timeout('attempt', true),
      true,
      { retry: true, reason: 'attempt timed out on an idempotent call', cost: 'timeout', throttled: false },
    ],
    [
      'an attempt timeout while sending, not idempotent',
      timeout('attempt'),
      false,
      {
        retry: false,
        reason: 'the attempt timed out and the call is not idempotent (mark it idempotent or give it a ClientToken)',
      },
    ],
    [
      'a 503',
      gateway(503),
      false,
      { retry: true, reason: 'HTTP 503 from the gateway', cost: 'error', throttled: false },
    ],
    [
      'a 429',
      gateway(429),
      false,
      { retry: true, reason: 'HTTP 429 from the gateway', cost: 'error', throttled: true },
    ],
    [
      'a 500, idempotent',
      gateway(500),
      true,
      { retry: true, reason: 'HTTP 500 from the gateway on an idempotent call', cost: 'error', throttled: false },
    ],
    ['a 502, not idempotent', gateway(502), false, { retry: false, reason: 'HTTP 502 and the call is not idempotent' }],
    ['a 499, idempotent', gateway(499), true, { retry: false, reason: 'the response is not an API envelope' }],
    [
      'an envelope with no status',
      gateway(undefined),
      true,
      { retry: false, reason: 'the response is not an API envelope' },
    ],
    [
      'a usage error',
      new UsageError('bad', { argument: 'x' }),
      true,
      { retry: false, reason: 'not a retryable error' },
    ],
    ['a plain Error', new Error('x'), true, { retry: false, reason: 'not a retryable error' }],
    ['null', null, true, { retry: false, reason: 'not a retryable error' }],
  ];
  it.each(cases)('%s', (_name, error, idempotent, expected) => {
    expect(retryDecision(error, idempotent)).toEqual(expected);
  });

  // The transport decides with retryGo alone (the refusal reasons stay out of its bundles): it
  // must retry exactly what retryDecision retries, with the same cost, throttling and reason.
  it.each(cases)('retryGo agrees with it, idempotent or not: %s', (_name, error) => {
    for (const idempotent of [true, false]) {
      const decision = retryDecision(error, idempotent);
      expect(retryGo(error, idempotent)).toEqual(decision.retry ? decision : undefined);
    }
  });
});

describe('backoffDelay', () => {
  it('is a random share of base * 2^(retry-1), floored', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0.5)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(200);
    expect(backoffDelay(2, 100, 10_000, () => 0.999)).toBe(199);
    expect(backoffDelay(2, 100, 10_000, () => 0)).toBe(0);
  });

  it('is capped by the maximum', () => {
    expect(backoffDelay(10, 100, 1000, () => 0.5)).toBe(500);
    expect(backoffDelay(3, 100, 300, () => 0.5)).toBe(150);
  });
});

describe('nextRetryDelay', () => {
  const retryable: RetryDecision = { retry: true, reason: 'r', cost: 'error', throttled: false };
  const state = (over: Partial<RetryState> = {}): RetryState => ({
    retry: { maxAttempts: 3, baseDelayMs: 100, throttlingBaseDelayMs: 1000, maxDelayMs: 100_000 },
    attempts: 1,
    now: 0,
    deadline: 1_000_000,
    budget: undefined,
    random: () => 0.5,
    ...over,
  });

  it('waits on the base, doubled per attempt made', () => {
    expect(nextRetryDelay(retryable, state())).toBe(50);
    expect(nextRetryDelay(retryable, state({ attempts: 2 }))).toBe(100);
  });

  it('waits on the throttling base when throttled', () => {
    expect(nextRetryDelay({ ...retryable, throttled: true }, state())).toBe(500);
  });

  it('ends the call when the error is not retryable or the attempts are used up', () => {
    expect(nextRetryDelay({ retry: false, reason: 'no' }, state())).toBeUndefined();
    expect(nextRetryDelay(undefined, state())).toBeUndefined();
    expect(nextRetryDelay(retryable, state({ attempts: 3 }))).toBeUndefined();
    expect(nextRetryDelay(retryable, state({ attempts: 4 }))).toBeUndefined();
  });

  it('ends the call when the wait would reach the deadline', () => {
    expect(nextRetryDelay(retryable, state({ now: 950, deadline: 1000 }))).toBeUndefined();
    expect(nextRetryDelay(retryable, state({ now: 949, deadline: 1000 }))).toBe(50);
  });

  it('charges the budget only for a retry that happens, at the decision cost', () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5, timeoutCost: 15 });
    expect(nextRetryDelay(retryable, state({ attempts: 3, budget }))).toBeUndefined();
    expect(nextRetryDelay(retryable, state({ now: 999_999, budget }))).toBeUndefined();
    expect(budget.available).toBe(20);
    expect(nextRetryDelay({ ...retryable, cost: 'timeout' }, state({ budget }))).toBe(50);
    expect(budget.available).toBe(5);
    expect(nextRetryDelay({ ...retryable, cost: 'timeout' }, state({ budget }))).toBeUndefined();
    expect(nextRetryDelay(retryable, state({ budget }))).toBe(50);
    expect(budget.available).toBe(0);
  });
});

describe('isReadAction', () => {
  it('knows the read verbs', () => {
    expect(READ_ACTION_PREFIXES).toEqual(['Describe', 'Get', 'List', 'Inquiry', 'Inquire', 'Query', 'Search']);
    for (const action of [
      'DescribeInstances',
      'GetMonitorData',
      'ListUsers',
      'InquiryPriceRunInstances',
      'InquirePriceCreateDisks',
      'QueryThing',
      'SearchLog',
      'Describe',
      'Get2',
    ])
      expect(isReadAction(action), action).toBe(true);
  });

  it('wants the verb at the start, ending a word', () => {
    for (const action of ['RunInstances', 'Listen', 'Getaway', 'ReDescribeInstances', 'describeInstances', ''])
      expect(isReadAction(action), action).toBe(false);
  });
});
