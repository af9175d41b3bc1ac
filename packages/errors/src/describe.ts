import type { ErrorCategory, Locale } from './category';
import { commonEntry, type ErrorCatalog, type ErrorCatalogEntry, type ErrorCode } from './catalog';

/** What {@link describeError} found for a code. */
export interface ErrorDescription {
  /** The code that was asked about. */
  readonly code: string;
  /** The catalog code that matched: the code itself or its nearest dotted ancestor. */
  readonly matchedCode: string;
  /** True when `matchedCode` is the code itself rather than an ancestor. */
  readonly exact: boolean;
  /** The name of the catalog the entry came from (`common` for the common codes). */
  readonly catalog: string;
  /** The description in the requested language. */
  readonly text: string;
  /** What to do about it, in the requested locale: the entry's hint, else its description. */
  readonly hint: string;
  readonly description: Readonly<Record<Locale, string>>;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly reason?: string;
}

/** Options of {@link describeError}. */
export interface DescribeErrorOptions {
  /** Language of `text`. Default `en-US`. */
  readonly language?: Locale | undefined;
  /** @deprecated Use `language` (one name across @x). */
  readonly locale?: Locale | undefined;
  /** Service catalogs, consulted in order before the common catalog. */
  readonly catalogs?: readonly ErrorCatalog[];
}

/**
 * The codes `code` falls back to, nearest first: `A.B.C` → `A.B.C`, `A.B`, `A`.
 */
export function codeAncestors(code: string): string[] {
  const out: string[] = [];
  let current = code;
  for (;;) {
    out.push(current);
    const dot = current.lastIndexOf('.');
    if (dot <= 0) return out;
    current = current.slice(0, dot);
  }
}

/**
 * Looks a code up: the exact code first, then each dotted ancestor, nearest first
 * (`RequestLimitExceeded.UinLimitExceeded.Foo` → `RequestLimitExceeded.UinLimitExceeded` →
 * `RequestLimitExceeded`). At each level, service catalogs are consulted before the common one,
 * so a service's exact code beats a common ancestor. Returns undefined when nothing matches.
 *
 * @example
 * describeError('InvalidParameterValue.InstanceIdMalformed', { language: 'zh-CN' });
 * // → { matchedCode: 'InvalidParameterValue', exact: false, text: '参数取值错误。', category: 'client-input', ... }
 */
export function describeError(code: ErrorCode, options: DescribeErrorOptions = {}): ErrorDescription | undefined {
  if (typeof code !== 'string' || code === '') return undefined;
  const language: Locale = (options.language ?? options.locale) === 'zh-CN' ? 'zh-CN' : 'en-US';
  const catalogs = options.catalogs ?? [];
  for (const candidate of codeAncestors(code)) {
    for (const catalog of catalogs) {
      const hit = lookup(catalog, candidate);
      if (hit) return describe(code, candidate, catalog.name, hit, language);
    }
    const hit = commonEntry(candidate);
    if (hit) return describe(code, candidate, 'common', hit, language);
  }
  return undefined;
}

function lookup(catalog: ErrorCatalog, code: string): ErrorCatalogEntry | undefined {
  // Own properties only: a code named `constructor` or `__proto__` must not hit Object.prototype.
  return Object.prototype.hasOwnProperty.call(catalog.entries, code) ? catalog.entries[code] : undefined;
}

function describe(
  code: string,
  matchedCode: string,
  catalog: string,
  hit: ErrorCatalogEntry,
  language: Locale,
): ErrorDescription {
  const base = {
    code,
    matchedCode,
    exact: matchedCode === code,
    catalog,
    text: hit.description[language],
    hint: hit.hint?.[language] ?? hit.description[language],
    description: hit.description,
    category: hit.category,
    retryable: hit.retryable,
  };
  return hit.reason === undefined ? base : { ...base, reason: hit.reason };
}
