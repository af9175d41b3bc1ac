import { inspect } from 'node:util';
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, excerpt, isSecretName, redactSecretFields } from '../src/index';

const MARKER = 'MARKERsecretVALUE0123456789';

/** No 10-character run of the marker anywhere in the text. */
function expectNoFragment(text: string): void {
  for (let i = 0; i + 10 <= MARKER.length; i++) expect(text).not.toContain(MARKER.slice(i, i + 10));
}

describe('secret-bearing fields', () => {
  it('knows the names in any case and spelling', () => {
    for (const name of [
      'SecretKey',
      'TmpSecretKey',
      'Token',
      'SessionToken',
      'Password',
      'secret_key',
      'x-tc-token',
      'WebIdentityToken',
      'PrivateKey',
      'ClientSecret',
      'Signature',
      'Authorization',
      'LoginPassword',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['SecretId', 'TmpSecretId', 'RequestId', 'Code', 'Message', 'ExpiredTime', 'Expiration'])
      expect(isSecretName(name), name).toBe(false);
  });

  it.each([
    [
      'complete JSON',
      `{"Response":{"Credentials":{"TmpSecretId":"AKIDTMP1","TmpSecretKey":"${MARKER}","Token":"${MARKER}"},"ExpiredTime":1}}`,
    ],
    ['truncated inside the value', `{"Credentials":{"TmpSecretKey":"${MARKER.slice(0, 20)}`],
    ['an unquoted value', `{"TmpSecretKey": ${MARKER}, "Token": ${MARKER}}`],
    ['escaped quotes inside the value', `{"Token":"a\\"${MARKER}\\"b"}`],
    ['single quotes and odd case', `{'tmpsecretkey': '${MARKER}'}`],
    ['a query string', `Action=X&SecretKey=${MARKER}&Token=${MARKER}`],
    ['white space around the colon', `{ "SessionToken"  :\n  "${MARKER}" }`],
    ['a numeric value', `{"Password": 12345678901234567890${MARKER}}`],
    ['an array value', `{"Token":["${MARKER}",{"Inner":"${MARKER}"}],"Next":1}`],
    ['an object value, cut short', `{"SecretKey":{"Value":"${MARKER}`],
  ])('hides the value in %s', (_name, text) => {
    const out = redactSecretFields(text);
    expectNoFragment(out);
    expect(out).toContain('[REDACTED]');
  });

  it('keeps everything else as it was', () => {
    const text =
      '{"Response":{"Error":{"Code":"InternalError","Message":"boom"},"RequestId":"r-1","Credentials":{"TmpSecretId":"AKIDTMP1"}}}';
    expect(redactSecretFields(text)).toBe(text);
    expect(redactSecretFields('{"Token":"abc","Next":1}')).toBe('{"Token":"[REDACTED]","Next":1}');
    expect(redactSecretFields('{"Token":{"Inner":"x"},"N":[1]}')).toBe('{"Token":[REDACTED],"N":[1]}');
    expect(redactSecretFields('{"Token":"[REDACTED]","Key":[REDACTED]}')).toBe(
      '{"Token":"[REDACTED]","Key":[REDACTED]}',
    );
  });

  it('excerpt and EnvelopeError never show a secret value, whatever the body', () => {
    const body = ` {"Response":{"Credentials":{"TmpSecretId":"AKIDTMP1","TmpSecretKey":"${MARKER}","Token":"${MARKER}"`;
    expectNoFragment(excerpt(body));
    const err = new EnvelopeError({ reason: 'truncated', bodyExcerpt: body, httpStatus: 200 });
    for (const text of [err.message, err.bodyExcerpt, err.stack ?? '', JSON.stringify(err), inspect(err)])
      expectNoFragment(text);
  });

  it('property: a marker value under a secret key never survives, wherever the text is cut', () => {
    const key = fc.constantFrom(
      'SecretKey',
      'TmpSecretKey',
      'Token',
      'SessionToken',
      'Password',
      'tmpSecretKey',
      'TOKEN',
    );
    fc.assert(
      fc.property(
        key,
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.constantFrom('"', "'", ''),
        fc.nat(),
        (name, before, after, quote, cut) => {
          const text = `${before}{"${name}": ${quote}${MARKER}${quote}, "Other": 1}${after}`;
          const start = text.indexOf(`"${name}"`);
          const end = start + name.length + 4 + Math.min(cut % (MARKER.length + 10), text.length);
          const out = excerpt(text.slice(0, Math.max(end, start)), 500);
          // Only whole or cut-off keys precede the value: whatever survives carries no 10 characters of it.
          expectNoFragment(out);
        },
      ),
      { numRuns: fuzzRuns(2000) },
    );
  });
});
