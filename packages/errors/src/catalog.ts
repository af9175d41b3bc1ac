import type { ErrorCategory, Locale } from './category';
import { entry, type ErrorCatalogEntry } from './catalog-entry';
import { COMMON_CODE_KINDS, type CommonErrorCode } from './common-codes';
import { commonTexts } from './texts';
import { UsageError } from './usage-error';

export type { ErrorCatalogEntry } from './catalog-entry';
export type { CommonErrorCode } from './common-codes';

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
const built = new Map<string, ErrorCatalogEntry>();

/**
 * The common entry of `code` (own codes only, never `constructor` or `__proto__`): category and
 * retryability always; descriptions and hint once the texts are there (see loadErrorTexts), the
 * code itself and no hint before.
 */
export function commonEntry(code: string): ErrorCatalogEntry | undefined {
  if (!has(COMMON_CODE_KINDS, code)) return undefined;
  const cached = built.get(code);
  if (cached) return cached;
  const kind: string = COMMON_CODE_KINDS[code as CommonErrorCode];
  const category = kind.replace('!', '') as ErrorCategory;
  const texts = commonTexts()?.[code as CommonErrorCode];
  if (!texts) return entry(code, code, category, kind.endsWith('!'));
  const [zh, en, zhHint, enHint, reason] = texts;
  const full = { ...entry(zh, en, category, kind.endsWith('!'), reason), hint: { 'zh-CN': zhHint, 'en-US': enHint } };
  built.set(code, full);
  return full;
}

/** Every common error code, in catalog order. */
export const COMMON_ERROR_CODES = Object.keys(COMMON_CODE_KINDS) as readonly CommonErrorCode[];

/**
 * The 38 common error codes of Tencent Cloud API 3.0 (any action of any service may answer them):
 * the official zh-CN descriptions and their official English translations, category,
 * retryability and a hint saying what to do. Each entry is made when first read; in a browser or
 * Worker its texts are there once `loadErrorTexts()` has resolved (always on Node).
 */
export const COMMON_ERROR_CATALOG: { readonly [Code in CommonErrorCode]: ErrorCatalogEntry } = /* @__PURE__ */ (() => {
  const catalog = {};
  for (const code of COMMON_ERROR_CODES) {
    Object.defineProperty(catalog, code, { enumerable: true, get: () => commonEntry(code) });
  }
  return Object.freeze(catalog) as { readonly [Code in CommonErrorCode]: ErrorCatalogEntry };
})();

/**
 * An error code: one of the common codes (autocompleted) or any service-specific string such as
 * `InvalidInstanceId.NotFound`.
 */
export type ErrorCode = CommonErrorCode | (string & {});

/** A set of codes with their entries, e.g. one service's own codes. */
export interface ErrorCatalog {
  /** A name for messages and debugging, e.g. `cvm`. */
  readonly name: string;
  readonly entries: Readonly<Record<string, ErrorCatalogEntry>>;
}

/** The common catalog as an {@link ErrorCatalog}; always consulted last. */
export const commonErrorCatalog: ErrorCatalog = { name: 'common', entries: COMMON_ERROR_CATALOG };

/**
 * Input of {@link defineErrorCatalog}: `reason` and a second language are optional. Without a
 * `category`, the entry takes the category and retryability of its nearest dotted ancestor in the
 * common catalog (`FailedOperation.Foo` → `FailedOperation`), or `unknown` and not retryable.
 */
export interface ErrorCatalogEntryInput {
  readonly description: Readonly<Partial<Record<Locale, string>>> | string;
  readonly category?: ErrorCategory;
  /** Default: false with a `category`; the ancestor's without one. */
  readonly retryable?: boolean;
  readonly reason?: string;
}

/** The common entry a code falls back to: the code itself or its nearest dotted ancestor. */
function commonAncestor(code: string): ErrorCatalogEntry | undefined {
  for (let current = code; ; current = current.slice(0, current.lastIndexOf('.'))) {
    const hit = commonEntry(current);
    if (hit) return hit;
    if (current.lastIndexOf('.') <= 0) return undefined;
  }
}

/**
 * Defines a service catalog, consulted before the common one by {@link describeError} and the
 * error classes. A description given as one string is used for both languages.
 *
 * @example
 * const cvmErrors = defineErrorCatalog('cvm', {
 *   'InvalidInstanceId.NotFound': {
 *     description: { 'zh-CN': '实例不存在。', 'en-US': 'The instance does not exist.' },
 *     category: 'resource',
 *   },
 * });
 */
export function defineErrorCatalog(
  name: string,
  entries: Readonly<Record<string, ErrorCatalogEntryInput>>,
): ErrorCatalog {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new UsageError('the catalog name must be a non-empty string', { argument: 'defineErrorCatalog(name)' });
  }
  const out: Record<string, ErrorCatalogEntry> = {};
  for (const [code, input] of Object.entries(entries)) {
    if (!isValidCode(code)) {
      throw new UsageError(`${JSON.stringify(code)} is not an error code (words joined by single dots)`, {
        argument: `defineErrorCatalog(${JSON.stringify(name)}).entries`,
      });
    }
    const zh = typeof input.description === 'string' ? input.description : input.description['zh-CN'];
    const en = typeof input.description === 'string' ? input.description : input.description['en-US'];
    const text = zh ?? en;
    if (text === undefined) {
      throw new UsageError(`${code} needs a description in at least one language`, {
        argument: `defineErrorCatalog(${JSON.stringify(name)}).entries`,
      });
    }
    if (input.category !== undefined) {
      out[code] = entry(zh ?? text, en ?? text, input.category, input.retryable ?? false, input.reason);
    } else {
      const ancestor = commonAncestor(code);
      out[code] = entry(
        zh ?? text,
        en ?? text,
        ancestor?.category ?? 'unknown',
        input.retryable ?? ancestor?.retryable ?? false,
        input.reason,
      );
    }
  }
  return Object.freeze({ name, entries: Object.freeze(out) });
}

const CODE_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** True when `code` has the shape of an API error code: words joined by single dots. */
export function isValidCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}
