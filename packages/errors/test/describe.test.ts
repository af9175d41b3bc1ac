import { describe, expect, it } from 'vitest';
import { codeAncestors, defineErrorCatalog, describeError } from '../src/index';

const cvm = defineErrorCatalog('cvm', {
  'InvalidInstanceId.NotFound': {
    description: { 'zh-CN': '实例不存在。', 'en-US': 'The instance does not exist.' },
    category: 'resource',
  },
  // A service may refine a common code: its entry wins over the common one.
  InternalError: { description: 'CVM internal error.', category: 'server', retryable: true },
});

describe('describeError', () => {
  it('finds an exact common code, in English by default and in Chinese on request', () => {
    const en = describeError('AuthFailure.SignatureFailure');
    expect(en).toMatchObject({
      code: 'AuthFailure.SignatureFailure',
      matchedCode: 'AuthFailure.SignatureFailure',
      exact: true,
      catalog: 'common',
      category: 'auth',
      retryable: false,
    });
    expect(en?.text).toMatch(/^Invalid signature/);
    expect(describeError('AuthFailure.SignatureFailure', { locale: 'zh-CN' })?.text).toMatch(/^签名错误/);
  });

  it('falls back to the nearest dotted ancestor, and says which code matched', () => {
    const d = describeError('RequestLimitExceeded.UinLimitExceeded.Foo');
    expect(d).toMatchObject({
      matchedCode: 'RequestLimitExceeded.UinLimitExceeded',
      exact: false,
      category: 'throttling',
    });
    expect(describeError('RequestLimitExceeded.Other')?.matchedCode).toBe('RequestLimitExceeded');
    expect(describeError('InvalidParameterValue.InstanceIdMalformed', { locale: 'zh-CN' })).toMatchObject({
      matchedCode: 'InvalidParameterValue',
      text: '参数取值错误。',
      category: 'client-input',
    });
  });

  it('returns undefined when neither the code nor an ancestor is known', () => {
    expect(describeError('NoSuchThing')).toBeUndefined();
    // AuthFailure alone is not a common code: only its children are.
    expect(describeError('AuthFailure.SomethingNew')).toBeUndefined();
    expect(describeError('')).toBeUndefined();
    expect(describeError('RequestLimitExceededX')).toBeUndefined();
  });

  it('does not find inherited object properties', () => {
    expect(describeError('constructor')).toBeUndefined();
    expect(describeError('__proto__')).toBeUndefined();
    expect(describeError('toString.Foo')).toBeUndefined();
  });

  it('consults service catalogs before the common one at each level', () => {
    expect(describeError('InvalidInstanceId.NotFound', { catalogs: [cvm], locale: 'zh-CN' })).toMatchObject({
      catalog: 'cvm',
      exact: true,
      text: '实例不存在。',
      category: 'resource',
    });
    expect(describeError('InternalError', { catalogs: [cvm] })).toMatchObject({
      catalog: 'cvm',
      text: 'CVM internal error.',
    });
    // An exact common code beats a service ancestor only when the service has no closer entry.
    expect(describeError('InvalidInstanceId.NotFound.Deep', { catalogs: [cvm] })?.matchedCode).toBe(
      'InvalidInstanceId.NotFound',
    );
    expect(describeError('InvalidInstanceId.NotFound')).toBeUndefined();
  });

  it('lists ancestors nearest first', () => {
    expect(codeAncestors('A.B.C')).toEqual(['A.B.C', 'A.B', 'A']);
    expect(codeAncestors('A')).toEqual(['A']);
  });
});
