import { ApiError, describeError, type ErrorCatalog, type Locale } from '@x/errors';
import type { CallContext } from '@x/errors';

/** What a mocked action answers: a result, an error, a fake, or (streaming actions) events. */
export type MockAnswer =
  | { readonly kind: 'resolve'; readonly output: Readonly<Record<string, unknown>> }
  | { readonly kind: 'reject'; readonly code: string; readonly message: string | undefined }
  | { readonly kind: 'throw'; readonly error: Error }
  | { readonly kind: 'fake'; readonly fake: (params: never, call: MockCall) => unknown }
  | { readonly kind: 'stream'; readonly events: readonly unknown[] };

/** One call the mock received, in order. */
export interface MockCall<Action extends string = string, Params = Readonly<Record<string, unknown>>> {
  readonly action: Action;
  readonly params: Params;
  /** `call` for call/paginate/dryRun pages, `stream` for stream(). */
  readonly via: 'call' | 'stream';
  readonly region: string | undefined;
}

/** One `mock.on(action, match?)` rule: its once-answers, then its standing answer. */
export interface MockRule {
  readonly action: string;
  readonly match: ((params: Readonly<Record<string, unknown>>) => boolean) | undefined;
  readonly once: MockAnswer[];
  always: MockAnswer | undefined;
}

/**
 * True when `actual` has every property of `pattern` (deeply): objects match when each key of the
 * pattern matches, arrays when they have the same length and every element matches, other
 * values by `Object.is`. A pattern key set to `undefined` requires the key to be absent or undefined.
 */
export function matchesPattern(actual: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    return (
      Array.isArray(actual) && actual.length === pattern.length && pattern.every((p, i) => matchesPattern(actual[i], p))
    );
  }
  if (typeof pattern === 'object' && pattern !== null && !(pattern instanceof Uint8Array)) {
    if (typeof actual !== 'object' || actual === null) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(pattern).every(([key, value]) => matchesPattern(record[key], value));
  }
  return Object.is(actual, pattern);
}

/**
 * The rule that answers a call: rules with a `match` are tried before rules without one (a
 * specific answer beats a general one, whatever the order they were added in); within each
 * group, the rule added last wins. A rule whose once-answers are used up and that has no
 * standing answer is passed over.
 */
export function pickAnswer(
  rules: readonly MockRule[],
  action: string,
  params: Readonly<Record<string, unknown>>,
): MockAnswer | undefined {
  const candidates = rules.filter((r) => r.action === action && (r.once.length > 0 || r.always !== undefined));
  const ordered = [
    ...candidates.filter((r) => r.match !== undefined).reverse(),
    ...candidates.filter((r) => r.match === undefined).reverse(),
  ];
  for (const rule of ordered) {
    if (rule.match !== undefined && !rule.match(params)) continue;
    return rule.once.shift() ?? rule.always;
  }
  return undefined;
}

/** What building an error needs: the client's catalogs and language. */
export interface ErrorSetting {
  readonly catalogs: readonly ErrorCatalog[];
  readonly locale: Locale;
}

/**
 * The ApiError the server would send for `code`: a fresh RequestId, the call's context, and the
 * category, retryability and hint the catalogs give (the service's own catalog first). Without a
 * message, the catalog text stands in for the server's.
 */
export function mockApiError(
  code: string,
  message: string | undefined,
  context: CallContext,
  setting: ErrorSetting,
): ApiError {
  const serverMessage = message ?? describeError(code, setting)?.text ?? code;
  return new ApiError({
    code,
    serverMessage,
    requestId: crypto.randomUUID(),
    httpStatus: 200,
    catalogs: setting.catalogs,
    locale: setting.locale,
    ...context,
    attempts: 1,
  });
}

/** `Response` with a RequestId: the one given, else a fresh one (as the server always sends one). */
export function withRequestId(
  output: Readonly<Record<string, unknown>>,
): Record<string, unknown> & { RequestId: string } {
  const given = output['RequestId'];
  return { ...output, RequestId: typeof given === 'string' && given !== '' ? given : crypto.randomUUID() };
}
