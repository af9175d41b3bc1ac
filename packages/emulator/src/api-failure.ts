import { describeError, type Locale } from '@x/errors';

/**
 * What a handler throws to answer an error envelope: `throw new ApiFailure('InvalidParameterValue',
 * 'Limit must be at most 100')`. Any thrown object with a string `code` (and optional `message`)
 * works the same; anything else becomes `InternalError`.
 */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? defaultMessage(code, 'en-US'));
  }
}

/** The catalog text of a code (or its nearest ancestor) as the gateway's default message. */
export function defaultMessage(code: string, locale: Locale): string {
  return describeError(code, { locale })?.text ?? code;
}

/** The `{ code, message }` of anything a handler threw. */
export function failureOf(thrown: unknown): { code: string; message: string | undefined } | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { code, message } = thrown as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || code === '') return undefined;
  return { code, message: typeof message === 'string' && message !== '' ? message : undefined };
}
