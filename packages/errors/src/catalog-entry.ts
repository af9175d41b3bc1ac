import type { ErrorCategory, Locale } from './category';

/** One code's entry in an error catalog. */
export interface ErrorCatalogEntry {
  /** The official description, in each documented language. */
  readonly description: Readonly<Record<Locale, string>>;
  readonly category: ErrorCategory;
  /**
   * True only where sending the very same request again can succeed. The transport's retry loop
   * reads this; it never retries an entry marked false (clock skew is handled separately).
   */
  readonly retryable: boolean;
  /** Why the category or the retry decision is what it is, where that is not obvious. */
  readonly reason?: string;
  /**
   * What to do about it, in each language: `ApiError.hint` and `describeError(...).hint`. The
   * common codes all have one; where an entry has none, the description stands in.
   */
  readonly hint?: Readonly<Record<Locale, string>>;
}

/** An entry from the official texts (zh-CN, en-US), its category and retryability. */
export const entry = (
  zh: string,
  en: string,
  category: ErrorCategory,
  retryable: boolean,
  reason?: string,
): ErrorCatalogEntry =>
  reason === undefined
    ? { description: { 'zh-CN': zh, 'en-US': en }, category, retryable }
    : { description: { 'zh-CN': zh, 'en-US': en }, category, retryable, reason };
