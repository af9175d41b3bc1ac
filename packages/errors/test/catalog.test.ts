import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMON_ERROR_CATALOG,
  COMMON_ERROR_CODES,
  ERROR_CATEGORIES,
  defineErrorCatalog,
  isUsageError,
  type CommonErrorCode,
} from '../src/index';

interface SpecRow {
  code: string;
  zh: string;
  en: string;
}

/** Parses the markdown table of the protocol notes (a copy kept as this package's fixture). */
function readSpecTable(): SpecRow[] {
  const text = readFileSync(new URL('./fixtures/common-error-codes.md', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Code') && !line.startsWith('|---'))
    .map((line) => {
      const cells = line.split(' | ').map((c) =>
        c
          .replace(/^\|\s*/, '')
          .replace(/\s*\|$/, '')
          .trim(),
      );
      return { code: cells[0]!, zh: cells[1]!, en: cells[2]! };
    });
}

const spec = readSpecTable();

describe('the common catalog', () => {
  it('has exactly the 38 codes of the spec table', () => {
    expect(spec).toHaveLength(38);
    expect([...COMMON_ERROR_CODES].sort()).toEqual(spec.map((r) => r.code).sort());
  });

  it.each(spec)('$code carries the official zh-CN and en-US texts', (row) => {
    const entry = COMMON_ERROR_CATALOG[row.code as CommonErrorCode];
    expect(entry.description['zh-CN']).toBe(row.zh);
    expect(entry.description['en-US']).toBe(row.en);
  });

  it('gives every code a known category', () => {
    for (const code of COMMON_ERROR_CODES) {
      expect(ERROR_CATEGORIES).toContain(COMMON_ERROR_CATALOG[code].category);
      expect(COMMON_ERROR_CATALOG[code].category).not.toBe('unknown');
    }
  });

  it('marks retryable exactly the codes a plain resend can fix', () => {
    const retryable = COMMON_ERROR_CODES.filter((c) => COMMON_ERROR_CATALOG[c].retryable).sort();
    expect(retryable).toEqual(
      [
        'InternalError',
        'RequestLimitExceeded',
        'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
        'RequestLimitExceeded.IPLimitExceeded',
        'RequestLimitExceeded.UinLimitExceeded',
        'ResourceUnavailable',
        'ServiceUnavailable',
      ].sort(),
    );
  });

  it('files every throttling code as throttling and the auth family as auth or permission', () => {
    for (const code of COMMON_ERROR_CODES) {
      const { category } = COMMON_ERROR_CATALOG[code];
      if (code.startsWith('RequestLimitExceeded')) expect(category).toBe('throttling');
      if (code.startsWith('AuthFailure.')) expect(['auth', 'permission']).toContain(category);
    }
    expect(COMMON_ERROR_CATALOG.DryRunOperation.category).toBe('dry-run');
    expect(COMMON_ERROR_CATALOG.LimitExceeded.category).toBe('quota');
    expect(COMMON_ERROR_CATALOG.UnsupportedProtocol.category).toBe('protocol');
    expect(COMMON_ERROR_CATALOG.InvalidParameterValue.category).toBe('client-input');
  });

  it('writes down the reason of every non-obvious decision', () => {
    for (const code of [
      'AuthFailure.SignatureExpire',
      'AuthFailure.UnauthorizedOperation',
      'ResourceUnavailable',
      'ResourceInUse',
      'ResourceInsufficient',
      'LimitExceeded',
      'FailedOperation',
      'DryRunOperation',
    ] as const) {
      expect(COMMON_ERROR_CATALOG[code]).toHaveProperty('reason', expect.stringMatching(/^.{30,}$/));
    }
  });
});

describe('defineErrorCatalog', () => {
  it('fills a missing language from the other and defaults retryable to false', () => {
    const cvm = defineErrorCatalog('cvm', {
      'InvalidInstanceId.NotFound': { description: { 'en-US': 'The instance does not exist.' }, category: 'resource' },
      'InstanceBusy': { description: '实例忙。', category: 'resource', retryable: true },
    });
    expect(cvm.name).toBe('cvm');
    expect(cvm.entries['InvalidInstanceId.NotFound']).toEqual({
      description: { 'zh-CN': 'The instance does not exist.', 'en-US': 'The instance does not exist.' },
      category: 'resource',
      retryable: false,
    });
    expect(cvm.entries['InstanceBusy']?.retryable).toBe(true);
    expect(Object.isFrozen(cvm.entries)).toBe(true);
  });

  it('inherits category and retryability from the nearest common ancestor when no category is given', () => {
    const svc = defineErrorCatalog('svc', {
      'FailedOperation.DiskBusy': { description: '磁盘忙。' },
      'RequestLimitExceeded.PerUin': { description: { 'zh-CN': '超限。', 'en-US': 'Over the limit.' } },
      'InternalError': { description: 'Service-specific internal error text.' },
      'Quota.Exceeded': { description: 'Not a common family.' },
      'RequestLimitExceeded.NeverRetry': { description: 'x', retryable: false },
    });
    expect(svc.entries['FailedOperation.DiskBusy']).toMatchObject({ category: 'operation', retryable: false });
    expect(svc.entries['RequestLimitExceeded.PerUin']).toMatchObject({ category: 'throttling', retryable: true });
    expect(svc.entries['InternalError']).toMatchObject({
      category: 'server',
      retryable: COMMON_ERROR_CATALOG.InternalError.retryable,
    });
    expect(svc.entries['Quota.Exceeded']).toMatchObject({ category: 'unknown', retryable: false });
    expect(svc.entries['RequestLimitExceeded.NeverRetry']).toMatchObject({ category: 'throttling', retryable: false });
  });

  it('refuses malformed codes, names and empty descriptions with a UsageError naming the problem', () => {
    const bad = [
      () => defineErrorCatalog('', {}),
      () => defineErrorCatalog('cvm', { 'Bad..Code': { description: 'x', category: 'resource' } }),
      () => defineErrorCatalog('cvm', { '.Leading': { description: 'x', category: 'resource' } }),
      () => defineErrorCatalog('cvm', { Empty: { description: {}, category: 'resource' } }),
    ];
    for (const fn of bad) {
      let thrown: unknown;
      try {
        fn();
      } catch (err) {
        thrown = err;
      }
      expect(isUsageError(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(/defineErrorCatalog/);
    }
  });
});
