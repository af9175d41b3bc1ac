// buildRequest and encodeMultipart at their edges: exact limits (the byte that is one too many),
// exact refusal messages, the caller headers that are kept or refused, and the multipart boundary
// search (a boundary straddling a part's end, the 16th draw).
import { describe, expect, it } from 'vitest';
import { MAX_POST_BYTES, buildRequest, type BuildRequestInput } from '../src/build-request';
import { resolveEndpoint } from '../src/endpoint';
import { bytesOf, encodeMultipart, encodeMultipartDrawing } from '../src/multipart';
import { usage } from './usage';

const base: BuildRequestInput = {
  endpoint: resolveEndpoint({ service: 'cvm', endpoint: 'http://127.0.0.1:9' }),
  action: 'DescribeZones',
  version: '2017-03-12',
  timestamp: 1551113065,
  traceId: 'trace',
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('buildRequest: names and headers', () => {
  it.each([
    [{ action: 'describeZones' }, 'action: must be an action name such as "DescribeInstances", got "describeZones"'],
    [{ action: 'Describe_Zones' }, 'action: must be an action name such as "DescribeInstances", got "Describe_Zones"'],
    [{ action: 'Describe Zones' }, 'action: must be an action name such as "DescribeInstances", got "Describe Zones"'],
    [{ action: 7 }, 'action: must be an action name such as "DescribeInstances", got 7'],
    [{ version: '2017-3-12' }, 'version: must be an API version such as "2017-03-12", got "2017-3-12"'],
    [{ version: 'x2017-03-12' }, 'version: must be an API version such as "2017-03-12", got "x2017-03-12"'],
    [{ version: '2017-03-12x' }, 'version: must be an API version such as "2017-03-12", got "2017-03-12x"'],
    [{ version: undefined }, 'version: must be an API version such as "2017-03-12", got undefined'],
    [{ method: 'PUT' }, 'method: must be "POST" or "GET" (API 3.0 accepts nothing else), got "PUT"'],
  ])('refuses %o', (patch, message) => {
    expect(usage(() => buildRequest({ ...base, ...(patch as object) } as BuildRequestInput)).message).toBe(message);
  });

  it('accepts a one-letter action and digits after the first letter', () => {
    expect(buildRequest({ ...base, action: 'A' }).headers['X-TC-Action']).toBe('A');
    expect(buildRequest({ ...base, action: 'Describe2Zones' }).headers['X-TC-Action']).toBe('Describe2Zones');
    expect(buildRequest({ ...base, language: 'en-US' }).headers['X-TC-Language']).toBe('en-US');
  });

  it('keeps the caller’s own headers as text, refuses the reserved ones whatever their case', () => {
    const built = buildRequest({ ...base, headers: { 'X-Custom': 'yes', 'X-Number': 5 as unknown as string } });
    expect(built.headers['X-Custom']).toBe('yes');
    expect(built.headers['X-Number']).toBe('5');
    for (const name of ['host', 'Content-Type', 'CONTENT-LENGTH', 'authorization', 'x-tc-region', 'X-Tc-Anything']) {
      const err = usage(() => buildRequest({ ...base, headers: { [name]: 'x' } }));
      expect(err.argument).toBe(`headers.${name}`);
      expect(err.message).toBe(`headers.${name}: ${name} is set by the transport and cannot be overridden`);
    }
    expect(buildRequest({ ...base, headers: { 'X-TCX': '1' } }).headers['X-TCX']).toBe('1');
  });

  it('an empty token is no token; unsignedPayload says so in a header; a POST URL has no query', () => {
    const built = buildRequest({ ...base, token: '', unsignedPayload: true });
    expect(built.headers).not.toHaveProperty('X-TC-Token');
    expect(built.headers['X-TC-Content-SHA256']).toBe('UNSIGNED-PAYLOAD');
    expect(built.url).toBe('http://127.0.0.1:9/');
    expect(built.query).toBe('');
    expect(buildRequest({ ...base, unsignedPayload: false }).headers).not.toHaveProperty('X-TC-Content-SHA256');
    expect(buildRequest(base)).toMatchObject({ method: 'POST', host: '127.0.0.1:9', service: 'cvm', body: '{}' });
  });

  it('a GET with no params has no query and no question mark', () => {
    const built = buildRequest({ ...base, method: 'GET' });
    expect(built.url).toBe('http://127.0.0.1:9/');
    expect(built.query).toBe('');
    expect(built.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
  });
});

describe('buildRequest: the 10 MB JSON body, to the byte', () => {
  // {"D":"…"}: 8 ASCII bytes around n two-byte characters.
  const params = (n: number) => ({ D: 'é'.repeat(n) });
  it('sends exactly 10 MB of UTF-8, refuses one byte pair more, counting bytes not characters', () => {
    const fits = (MAX_POST_BYTES - 8) / 2;
    expect(buildRequest({ ...base, params: params(fits) }).body).toHaveLength(fits + 8);
    const err = usage(() => buildRequest({ ...base, params: params(fits + 1) }));
    expect(err.argument).toBe('params');
    expect(err.message).toBe(
      `params: the JSON body is ${MAX_POST_BYTES + 2} bytes; the API accepts at most ${MAX_POST_BYTES} (10 MB)`,
    );
  });
});

describe('buildRequest: raw and multipart bodies', () => {
  it('names the body kind and the method refused', () => {
    expect(usage(() => buildRequest({ ...base, method: 'GET', body: new Uint8Array(1) })).message).toBe(
      'method: a raw body is sent with POST, not GET',
    );
    expect(usage(() => buildRequest({ ...base, method: 'GET', multipart: true })).message).toBe(
      'method: a multipart request is sent with POST, not GET',
    );
    expect(usage(() => buildRequest({ ...base, body: null as unknown as Uint8Array })).message).toBe(
      'body: must be a Uint8Array, got null',
    );
    expect(usage(() => buildRequest({ ...base, body: 5 as unknown as Uint8Array })).message).toBe(
      'body: must be a Uint8Array, got number',
    );
    expect(usage(() => buildRequest({ ...base, body: new Uint8Array(1), multipart: true })).message).toBe(
      'body: cannot be combined with multipart: send the bytes as a param of the multipart request instead',
    );
    expect(usage(() => buildRequest({ ...base, boundary: 'b', multipart: false })).message).toBe(
      'boundary: applies to multipart requests only',
    );
  });

  it('a raw body takes no params: none, null, {} or only undefined ones', () => {
    const bytes = new Uint8Array([1, 2]);
    for (const params of [undefined, null, {}, { A: undefined }])
      expect(buildRequest({ ...base, body: bytes, params }).contentType).toBe('application/octet-stream');
    for (const params of ['text', 5, { A: null }, { A: 0 }]) {
      const err = usage(() => buildRequest({ ...base, body: bytes, params }));
      expect(err.message).toBe('params: must be empty when a raw body is sent: the body is the whole request');
    }
  });

  it('a raw body of exactly 10 MB is sent', () => {
    expect(buildRequest({ ...base, body: new Uint8Array(MAX_POST_BYTES) }).body).toHaveLength(MAX_POST_BYTES);
    expect(usage(() => buildRequest({ ...base, body: new Uint8Array(MAX_POST_BYTES + 1) })).message).toBe(
      `body: is ${MAX_POST_BYTES + 1} bytes; the API accepts at most ${MAX_POST_BYTES} (10 MB)`,
    );
  });

  it('multipart with a chosen boundary: its bytes and Content-Type', () => {
    const built = buildRequest({ ...base, multipart: true, boundary: 'b1', params: { A: 'x' } });
    expect(built.contentType).toBe('multipart/form-data; boundary=b1');
    expect(built.headers['Content-Type']).toBe('multipart/form-data; boundary=b1');
    expect(text(built.body as Uint8Array)).toBe(
      '--b1\r\nContent-Disposition: form-data; name="A"\r\n\r\nx\r\n--b1--\r\n',
    );
  });
});

describe('encodeMultipart edges', () => {
  it('numbers, bigints and booleans as text; null and undefined left out', () => {
    const { body } = encodeMultipart({ N: 1.5, B: 10n, T: true, F: false, Z: null, U: undefined }, { boundary: 'q' });
    const part = (name: string, value: string) =>
      `\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--q`;
    expect(text(body)).toBe(`--q${part('N', '1.5')}${part('B', '10')}${part('T', 'true')}${part('F', 'false')}--\r\n`);
  });

  it('names what it refuses', () => {
    expect(usage(() => encodeMultipart({ N: Number.NaN })).message).toBe('params.N: NaN cannot be sent');
    expect(usage(() => encodeMultipart({ S: 'a\ud800' })).message).toBe(
      'params.S: contains a lone UTF-16 surrogate, which UTF-8 cannot encode',
    );
    expect(usage(() => encodeMultipart({ O: {} })).message).toBe(
      'params.O: is an object: multipart params are strings, numbers, booleans, bigints or bytes, not nested',
    );
    expect(usage(() => encodeMultipart({ F: () => 1 })).message).toBe('params.F: a function cannot be sent');
    expect(usage(() => encodeMultipart({ 'a b': 'x' })).message).toBe(
      'params."a b": is not a multipart field name (printable ASCII but space, " and \\)',
    );
    expect(usage(() => encodeMultipart('A=1')).message).toBe('params: must be an object of request parameters');
    expect(usage(() => encodeMultipart({}, { boundary: 'UP' })).message).toBe(
      `boundary: must be 1 to 70 characters of 0-9 a-z ' + _ . -, got "UP"`,
    );
    expect(usage(() => encodeMultipart({}, { boundary: 5 as unknown as string })).argument).toBe('boundary');
  });

  it('accepts every name character from ! to ~ but the quote and backslash, and a boundary of 70', () => {
    const name = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i))
      .filter((c) => c !== '"' && c !== '\\')
      .join('');
    expect(text(encodeMultipart({ [name]: 'v' }, { boundary: 'b' }).body)).toContain(`name="${name}"`);
    expect(encodeMultipart({}, { boundary: "0az'+_.-".padEnd(70, 'z') }).boundary).toHaveLength(70);
  });

  it('finds a boundary in bytes only where all of it occurs', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    // Cut off by the part's end: not there.
    expect(encodeMultipart({ A: bytes('xxab') }, { boundary: 'abc' }).boundary).toBe('abc');
    // A partial match first, the whole one later.
    expect(usage(() => encodeMultipart({ A: bytes('abxabc') }, { boundary: 'abc' })).message).toBe(
      'boundary: occurs inside a part',
    );
    // At the very end.
    expect(usage(() => encodeMultipart({ A: bytes('zzabc') }, { boundary: 'abc' })).argument).toBe('boundary');
    // At the very start, and a one-character boundary.
    expect(usage(() => encodeMultipart({ A: bytes('abc') }, { boundary: 'abc' })).argument).toBe('boundary');
    expect(usage(() => encodeMultipart({ A: bytes('q') }, { boundary: 'q' })).argument).toBe('boundary');
    expect(encodeMultipart({ A: bytes('') }, { boundary: 'q' }).boundary).toBe('q');
  });

  it('draws up to 16 boundaries, skipping ones that are not valid', () => {
    const draws = (list: string[]) => {
      let i = 0;
      return () => list[Math.min(i++, list.length - 1)]!;
    };
    const fifteen = Array.from({ length: 15 }, () => 'taken');
    expect(encodeMultipartDrawing({ A: 'taken' }, {}, draws([...fifteen, 'free'])).boundary).toBe('free');
    expect(encodeMultipartDrawing({}, {}, draws(['NOT VALID', 'ok'])).boundary).toBe('ok');
    const err = usage(() => encodeMultipartDrawing({ A: 'taken' }, {}, draws([...fifteen, 'taken', 'free'])));
    expect(err.message).toBe('params: no boundary absent from the parts in 16 draws');
  });

  it('holds the body to maxBytes, to the byte', () => {
    const size = encodeMultipart({ A: 'x' }, { boundary: 'b' }).body.byteLength;
    expect(encodeMultipart({ A: 'x' }, { boundary: 'b', maxBytes: size }).body).toHaveLength(size);
    expect(usage(() => encodeMultipart({ A: 'x' }, { boundary: 'b', maxBytes: size - 1 })).message).toBe(
      `params: the multipart body is ${size} bytes; the API accepts at most ${size - 1}`,
    );
  });

  it('bytesOf: views share their bytes, an ArrayBuffer is wrapped, anything else is not bytes', () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    expect([...bytesOf(buffer)!]).toEqual([1, 2, 3, 4]);
    expect([...bytesOf(new DataView(buffer, 1, 2))!]).toEqual([2, 3]);
    const shorts = new Uint16Array([0x0102]);
    expect(bytesOf(shorts)!.byteLength).toBe(2);
    expect(bytesOf(shorts)!.buffer).toBe(shorts.buffer);
    expect(bytesOf([1, 2])).toBeUndefined();
    expect(bytesOf(null)).toBeUndefined();
  });
});

describe('buildRequest and encodeMultipart: what round 4 B2 left open', () => {
  it('no token and no language leave their headers out entirely', () => {
    const built = buildRequest(base);
    expect(built.headers).not.toHaveProperty('X-TC-Token');
    expect(built.headers).not.toHaveProperty('X-TC-Language');
  });

  it('an action or version that only looks like text is refused', () => {
    const like = (text: string) => ({ toString: () => text });
    expect(usage(() => buildRequest({ ...base, action: like('DescribeZones') as unknown as string })).argument).toBe(
      'action',
    );
    expect(usage(() => buildRequest({ ...base, version: like('2017-03-12') as unknown as string })).argument).toBe(
      'version',
    );
  });

  it('names a multipart flag that is not a boolean, and a Blob param', () => {
    expect(usage(() => buildRequest({ ...base, multipart: 'yes' as unknown as boolean })).message).toBe(
      'multipart: must be true or false, got "yes"',
    );
    expect(usage(() => encodeMultipart({ File: new Blob(['x']) })).argument).toBe('params.File');
  });

  it('a first byte that matches is not a boundary found', () => {
    const bytes = new TextEncoder().encode('abxyz');
    expect(encodeMultipart({ A: bytes }, { boundary: 'abc' }).boundary).toBe('abc');
  });
});
