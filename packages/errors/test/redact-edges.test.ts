import { describe, expect, it } from 'vitest';
import { isSecretName, redactHeaders, redactSecretFields, redactText } from '../src/index';

describe('redactSecretFields on awkward text', () => {
  it('blanks a single-quoted value and keeps the quotes', () => {
    expect(redactSecretFields("{'Token':'abc','Name':'x'}")).toBe("{'Token':'[REDACTED]','Name':'x'}");
  });

  it('blanks a whole object or array, skipping brackets inside strings of either quote', () => {
    expect(redactSecretFields('{"Token":{"a":"}","b":[1,{"c":"]"}]},"Name":"x"}')).toBe(
      '{"Token":[REDACTED],"Name":"x"}',
    );
    expect(redactSecretFields(`{"Token":["a'}",'b"]'],"Name":"x"}`)).toBe('{"Token":[REDACTED],"Name":"x"}');
    expect(redactSecretFields('{"Token":[[1],[2]],"Name":"x"}')).toBe('{"Token":[REDACTED],"Name":"x"}');
    expect(redactSecretFields('{"Token":{"a":{"b":1}},"Name":"x"}')).toBe('{"Token":[REDACTED],"Name":"x"}');
  });

  it('blanks an object cut off by the end of the text', () => {
    expect(redactSecretFields('{"Token":{"a":"b"')).toBe('{"Token":[REDACTED]');
  });

  it('skips an escaped quote inside a value', () => {
    expect(redactSecretFields('{"Token":"a\\"b","Name":"x"}')).toBe('{"Token":"[REDACTED]","Name":"x"}');
  });

  it('leaves a field with an empty unquoted value, or nothing after the colon, as it is', () => {
    expect(redactSecretFields('Token=&Name=x')).toBe('Token=&Name=x');
    expect(redactSecretFields('{"Token":')).toBe('{"Token":');
  });

  it('does not blank an already blanked value again, and goes on after it', () => {
    expect(redactSecretFields('Token=[REDACTED]&Password=p4ss')).toBe('Token=[REDACTED]&Password=[REDACTED]');
  });

  it('returns the very same text when nothing is secret', () => {
    const text = '{"Name":"x","Id":1}';
    expect(redactSecretFields(text)).toBe(text);
    expect(redactSecretFields('')).toBe('');
  });

  it('ends an unquoted value at , } ] & ; whitespace or <', () => {
    for (const end of [',', '}', ']', '&', ';', ' ', '\n', '<']) {
      expect(redactSecretFields(`Token=abc${end}tail`), JSON.stringify(end)).toBe(`Token=[REDACTED]${end}tail`);
    }
  });
});

describe('isSecretName', () => {
  it('knows passwd and password, ignores case, - and _', () => {
    for (const name of [
      'passwd',
      'Password',
      'DB_PASSWD',
      'private-key',
      'Private_Key',
      'x-tc-token',
      'TmpSecretKey',
      'client_secret',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of ['SecretId', 'secret_id', 'passd', 'pass', 'Name', 'private'])
      expect(isSecretName(name), name).toBe(false);
  });
});

describe('redactText and redactHeaders', () => {
  it('redactText hides secrets of 4 characters or more, and ignores shorter ones', () => {
    expect(redactText('key abcd here', ['abcd'])).toBe('key [REDACTED] here');
    expect(redactText('key abc here', ['abc', undefined, ''])).toBe('key abc here');
  });

  it('redactHeaders keeps an undefined sensitive header undefined', () => {
    expect(redactHeaders({ Authorization: undefined, 'X-TC-Token': 't0ken', Host: 'h' })).toEqual({
      Authorization: undefined,
      'X-TC-Token': '[REDACTED]',
      Host: 'h',
    });
  });
});
