import { describe, expect, it } from 'vitest';
import { MAX_GET_BYTES, buildRequest, resolveEndpoint } from '@x/transport';
import { usage } from './usage';

const base = {
  endpoint: resolveEndpoint({ service: 'cvm' }),
  action: 'DescribeInstances',
  version: '2017-03-12',
  timestamp: 1551113065,
  traceId: 'trace-1',
};
// `Data=` and the value: a query of exactly `bytes` bytes.
const getOf = (bytes: number) =>
  buildRequest({ ...base, method: 'GET', params: { Data: 'x'.repeat(bytes - 'Data='.length) } });

describe('the 32 KB GET limit, at the boundary', () => {
  it('is 32 KB', () => {
    expect(MAX_GET_BYTES).toBe(32_768);
  });

  it('sends a GET query of exactly 32,768 bytes', () => {
    const req = getOf(32_768);
    expect(req.query.length).toBe(32_768);
    expect(req.url).toBe(`https://cvm.tencentcloudapi.com/?${req.query}`);
  });

  it('refuses a GET query of 32,769 bytes, saying how long it is and what to do', () => {
    const err = usage(() => getOf(32_769));
    expect(err.argument).toBe('params');
    expect(err.message).toContain('32769 bytes');
    expect(err.message).toContain('at most 32768 (32 KB): use POST');
  });

  it('counts the query as sent, percent-encoded: a CJK character is 9 bytes', () => {
    // `D=` and 3,640 characters of %XX%XX%XX: 32,762 bytes, sent; one character more is 32,771.
    expect(buildRequest({ ...base, method: 'GET', params: { D: '未'.repeat(3640) } }).query.length).toBe(32_762);
    expect(usage(() => buildRequest({ ...base, method: 'GET', params: { D: '未'.repeat(3641) } })).message).toContain(
      '32771 bytes',
    );
  });
});
