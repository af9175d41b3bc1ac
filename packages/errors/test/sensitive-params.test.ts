import { describe, expect, it } from 'vitest';
import { SENSITIVE_HEADERS, SENSITIVE_PARAMS, isSecretName } from '../src/index';

// The Tencent Cloud parameter names whose values are secrets: v1 form fields (Signature, Token,
// SecretKey), STS answers (TmpSecretKey, Token), and names users pass in their own params.
const SECRET_PARAMS = [
  'Signature',
  'Token',
  'SecretKey',
  'TmpSecretKey',
  'SessionToken',
  'secret_key',
  'WebIdentityToken',
];

describe('SENSITIVE_PARAMS', () => {
  it.each(SECRET_PARAMS)('holds %s (looked up lower case)', (name) => {
    expect(SENSITIVE_PARAMS.has(name.toLowerCase())).toBe(true);
  });

  it('holds exactly those names, each lower case and each a secret by isSecretName', () => {
    expect([...SENSITIVE_PARAMS].sort()).toEqual(SECRET_PARAMS.map((n) => n.toLowerCase()).sort());
    for (const name of SENSITIVE_PARAMS) expect(isSecretName(name), name).toBe(true);
  });

  it('leaves names that identify rather than prove alone', () => {
    for (const name of ['secretid', 'tmpsecretid', 'action', 'nonce', 'tokenid'])
      expect(SENSITIVE_PARAMS.has(name), name).toBe(false);
  });
});

describe('SENSITIVE_HEADERS', () => {
  it('holds Authorization, X-TC-Token and the cookie headers, lower case', () => {
    expect([...SENSITIVE_HEADERS].sort()).toEqual(['authorization', 'cookie', 'set-cookie', 'x-tc-token']);
  });
});
