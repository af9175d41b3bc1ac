import { describe, expect, it } from 'vitest';
// The universal entry (browsers, Workers): the common texts are not there until loaded. This file
// imports nothing else of the package, so no Node entry installs them behind its back.
import {
  ApiError,
  COMMON_ERROR_CATALOG,
  COMMON_ERROR_CODES,
  defineErrorCatalog,
  describeError,
  loadErrorTexts,
} from '../src/universal';

const apiError = () =>
  new ApiError({ code: 'AuthFailure.SignatureFailure', serverMessage: 'The signature is wrong.', requestId: 'r-1' });

describe('the universal entry before loadErrorTexts', () => {
  it('knows every code, category and retryability, with the code standing in for its text', () => {
    expect(COMMON_ERROR_CODES).toHaveLength(38);
    const found = describeError('RequestLimitExceeded.UinLimitExceeded.Foo');
    expect(found).toMatchObject({
      matchedCode: 'RequestLimitExceeded.UinLimitExceeded',
      category: 'throttling',
      retryable: true,
      text: 'RequestLimitExceeded.UinLimitExceeded',
    });
    expect(COMMON_ERROR_CATALOG.InternalError).toMatchObject({ category: 'server', retryable: true });
    // A service code without a category still takes its common ancestor's.
    const cvm = defineErrorCatalog('cvm', { 'FailedOperation.Busy': { description: 'busy' } });
    expect(cvm.entries['FailedOperation.Busy']).toMatchObject({ category: 'operation', retryable: false });
  });

  it('makes an ApiError with its category but no hint (the message does not repeat the code as one)', () => {
    const error = apiError();
    expect(error.category).toBe('auth');
    expect(error.hint).toBeUndefined();
    expect(error.message).toBe('AuthFailure.SignatureFailure: The signature is wrong. (RequestId r-1).');
  });
});

describe('the universal entry after loadErrorTexts', () => {
  it('loads once, however many ask, and then describes in both languages with hints', async () => {
    const loads = [loadErrorTexts(), loadErrorTexts()];
    await Promise.all(loads);
    await loadErrorTexts();
    const found = describeError('AuthFailure.SignatureExpire', { language: 'zh-CN' });
    expect(found?.text).toMatch(/^签名过期/);
    expect(found?.hint).not.toBe(found?.text);
    expect(found?.reason).toMatch(/clock offset/);
    expect(COMMON_ERROR_CATALOG.InternalError.description['en-US']).toBe('Internal error.');
    for (const code of COMMON_ERROR_CODES) expect(COMMON_ERROR_CATALOG[code].hint?.['en-US']).toBeTruthy();
    const error = apiError();
    expect(error.hint).toBe(COMMON_ERROR_CATALOG['AuthFailure.SignatureFailure'].hint?.['en-US']);
    expect(error.message).toContain(' Hint: ');
  });
});

describe('an installed table is made at its first read', () => {
  it('calls the table function once, when a text is first needed, not when installed', async () => {
    // As the Node entry does at import (the texts are loaded already: the table replaces them).
    const { commonTexts, installErrorTexts } = await import('../src/texts');
    const { commonTextsTable } = await import('../src/common-texts');
    let made = 0;
    installErrorTexts(() => {
      made++;
      return commonTextsTable();
    });
    expect(made).toBe(0);
    const first = commonTexts();
    expect(made).toBe(1);
    expect(first?.InternalError[1]).toBe('Internal error.');
    expect(commonTexts()).toBe(first);
    expect(made).toBe(1);
  });
});
