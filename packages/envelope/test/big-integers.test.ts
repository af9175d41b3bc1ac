import { describe, expect, it } from 'vitest';
import { isEnvelopeError } from '@x/errors';
import { parseEnvelope, parseJson } from '../src/index';
import { caught, fixture } from './helpers';

describe('integers beyond 2^53 - 1', () => {
  it('come back exact as bigint by default; safe numbers, floats and strings are untouched', () => {
    const result = parseEnvelope(fixture('big-integers.json'));
    expect(result.ok && result.data).toEqual({
      Max: 18446744073709551615n,
      Min: -9223372036854775808n,
      Safe: 9007199254740991,
      Float: 1.5e300,
      Text: '12345678901234567890',
      Nested: [{ Id: 9007199254740993n }],
      RequestId: 'big-1',
    });
  });

  it('come back as exact strings on request', () => {
    const result = parseEnvelope(fixture('big-integers.json'), { integers: 'string' });
    expect(result.ok && result.data).toMatchObject({
      Max: '18446744073709551615',
      Min: '-9223372036854775808',
      Safe: 9007199254740991,
    });
  });

  it('are rounded only when the caller opts in to plain numbers', () => {
    const result = parseEnvelope(fixture('big-integers.json'), { integers: 'number' });
    expect(result.ok && result.data['Max']).toBe(18446744073709551615);
  });

  it('the lossless parser agrees with JSON.parse on ordinary JSON', () => {
    const samples = [
      '{"a":[1,2.5,-0,1e5,true,false,null,"s\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"],"b":{}}',
      '[]',
      '"x"',
      ' {"__proto__": {"polluted": 1}, "k": [ { } , [ ] ] } ',
    ];
    for (const s of samples) {
      // A 16-digit run forces the slow path; the rest must parse the same.
      const forced = `[${s}, 1234567890123456]`;
      expect(parseJson(forced)).toEqual(JSON.parse(forced));
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the lossless parser reports truncation and syntax errors as envelope errors', async () => {
    for (const [body, reason] of [
      ['{"Response":{"Id":12345678901234567890', 'truncated'],
      ['{"Response":{"Id":12345678901234567890,"S":"abc', 'truncated'],
      ['{"Response":{"Id":12345678901234567890,}}', 'invalid-json'],
      ['{"Response":{"Id":012345678901234567890}}', 'invalid-json'],
      ['{"Response":{"Id":12345678901234567890}} x', 'invalid-json'],
      ['{"Response":{"Id":12345678901234567890,"S":"\\x"}}', 'invalid-json'],
      ['{"Response":{"Id":12345678901234567890,"T":tru', 'truncated'],
    ] as const) {
      const err = await caught(() => parseEnvelope(body));
      expect(isEnvelopeError(err) && err.reason, body).toBe(reason);
    }
  });
});
