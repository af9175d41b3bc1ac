import type { CommonTexts } from './common-texts';

// The common codes' texts and hints are ~70% of @x/errors. The Node entry (index.ts) installs
// them at import; the universal entry (universal.ts: browsers, Workers) loads them on demand, so
// a browser bundle carries them as a separate chunk fetched only when an ApiError is made.
let installed: CommonTexts | (() => CommonTexts) | undefined;
let loading: Promise<void> | undefined;

/** The common texts, when installed or loaded; undefined before. An installed table is made at the first read. */
export const commonTexts = (): CommonTexts | undefined =>
  typeof installed === 'function' ? (installed = installed()) : installed;

/** Installs the texts, or the function that makes them at the first read (the Node entry does it at import). */
export function installErrorTexts(texts: CommonTexts | (() => CommonTexts)): void {
  installed = texts;
}

/**
 * Loads the official descriptions and hints of the common error codes, once; resolves at once when
 * they are there (always on Node, Bun and Deno). The client awaits it before it makes an ApiError,
 * so `message`, `hint` and `description` are complete. Call it yourself in a browser or Worker
 * before `describeError` or `new ApiError(...)` outside a client call: until then their texts are
 * the matched code itself and `hint` is undefined.
 */
export function loadErrorTexts(): Promise<void> {
  // Stryker disable next-line ConditionalExpression: a shortcut: loading again installs the same texts (the module is cached)
  if (installed) return Promise.resolve();
  return (loading ??= import('./common-texts').then(
    (module) => installErrorTexts(module.commonTextsTable),
    (err: unknown) => {
      loading = undefined; // a failed chunk fetch may succeed later
      throw err;
    },
  ));
}
