import { describe, expect, it } from 'vitest';
import { ApiError, COMMON_ERROR_CATALOG, COMMON_ERROR_CODES, defineErrorCatalog, describeError } from '../src/index';

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
const cjk = (text: string) => new Set(text.match(/[\u4e00-\u9fff]/g) ?? []);
/** Words of `hint` found neither in the description nor in the code (split at dots and capitals). */
function novelWords(code: string, description: string, hint: string): string[] {
  const known = new Set([...words(description), ...words(code.replace(/([a-z])([A-Z])/g, '$1 $2'))]);
  return [...words(hint)].filter((w) => w.length > 2 && !known.has(w));
}

describe('the hints of the common codes', () => {
  it('every code has one in zh-CN and en-US', () => {
    expect(COMMON_ERROR_CODES).toHaveLength(38);
    for (const code of COMMON_ERROR_CODES) {
      const { hint } = COMMON_ERROR_CATALOG[code];
      expect(hint?.['en-US'], code).toMatch(/\S{3}/);
      expect(hint?.['zh-CN'], code).toMatch(/[\u4e00-\u9fff]{4}/);
    }
  });

  it('none merely restates the code or the description: each says something to do that they do not', () => {
    for (const code of COMMON_ERROR_CODES) {
      const { hint, description } = COMMON_ERROR_CATALOG[code];
      const en = hint?.['en-US'] ?? '';
      const zh = hint?.['zh-CN'] ?? '';
      expect(description['en-US'].includes(en) || en.includes(description['en-US']), `${code} en-US`).toBe(false);
      expect(description['zh-CN'].includes(zh) || zh.includes(description['zh-CN']), `${code} zh-CN`).toBe(false);
      expect(
        novelWords(code, description['en-US'], en).length,
        `${code} en-US adds too little: ${en}`,
      ).toBeGreaterThanOrEqual(5);
      const newChars = [...cjk(zh)].filter((c) => !cjk(description['zh-CN']).has(c));
      expect(newChars.length, `${code} zh-CN adds too little: ${zh}`).toBeGreaterThanOrEqual(8);
    }
  });

  it('says what to check for the codes people meet most', () => {
    const en = (code: string) => describeError(code)?.hint ?? '';
    const zh = (code: string) => describeError(code, { locale: 'zh-CN' })?.hint ?? '';
    expect(en('AuthFailure.SignatureFailure')).toMatch(/SecretKey.*clock/);
    expect(zh('AuthFailure.SignatureFailure')).toMatch(/SecretKey.*时钟/);
    expect(en('AuthFailure.SecretIdNotFound')).toMatch(/wrong, deleted or disabled/);
    expect(zh('AuthFailure.SecretIdNotFound')).toMatch(/错误、已删除或已禁用/);
    expect(en('MissingParameter')).toMatch(/Region: pass region to createClient.*TENCENTCLOUD_REGION.*profile file/);
    expect(zh('MissingParameter')).toMatch(/Region.*createClient.*TENCENTCLOUD_REGION.*配置文件/);
    expect(en('AuthFailure.SignatureExpire')).toMatch(/clock.*NTP/);
    // A service code falls back to its nearest common ancestor's hint.
    expect(en('ResourceNotFound.NoSuchInstance')).toBe(en('ResourceNotFound'));
  });

  it('ApiError.hint and its message carry the hint; entries without one (service catalogs) use their description', () => {
    const err = new ApiError({
      code: 'AuthFailure.SignatureFailure',
      serverMessage: 'The provided credentials could not be validated.',
      requestId: 'r-1',
      locale: 'zh-CN',
    });
    expect(err.hint).toBe(COMMON_ERROR_CATALOG['AuthFailure.SignatureFailure'].hint?.['zh-CN']);
    expect(err.message).toContain(`Hint: ${err.hint}`);
    const cvm = defineErrorCatalog('cvm', { 'InvalidInstanceId.NotFound': { description: 'No instance found.' } });
    expect(describeError('InvalidInstanceId.NotFound', { catalogs: [cvm] })?.hint).toBe('No instance found.');
  });
});
