// What parseEnvelope, parseJson and parseEventStream say and return, pinned case by case: the
// reason and detail of each EnvelopeError, the exact message and position of each JSON syntax error
// (kept as the cause users log), the bigint digit limit, and how each kind of mid-stream error and
// each line ending of an event stream comes out.
import { isApiError, isEnvelopeError, isUsageError, type EnvelopeError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { MAX_BIGINT_DIGITS, parseEnvelope, parseEventStream, parseJson, type ServerSentEvent } from '@x/envelope';

function caughtSync(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

const envelopeError = (run: () => unknown): EnvelopeError => {
  const err = caughtSync(run);
  expect(isEnvelopeError(err), String(err)).toBe(true);
  return err as EnvelopeError;
};

describe('parseEnvelope: each refusal names its reason and detail', () => {
  it.each([
    ['bytes of another kind', [1, 2], 'not-an-object', 'the body must be a string or bytes, got an array'],
    ['null', null, 'not-an-object', 'the body must be a string or bytes, got null'],
    ['a number', 5, 'not-an-object', 'the body must be a string or bytes, got a number'],
    ['white space', ' \n\t', 'empty-body', 'the body is empty'],
    ['a JSON array', '[1]', 'not-an-object', 'the JSON is an array, not an object'],
    ['JSON null', 'null', 'not-an-object', 'the JSON is null, not an object'],
    ['a JSON string', '"x"', 'not-an-object', 'the JSON is a string, not an object'],
    ['no Response', '{"response":{}}', 'missing-response', 'there is no "Response" object'],
    ['a null Response', '{"Response":null}', 'missing-response', '"Response" is null, not an object'],
    ['an array Response', '{"Response":[]}', 'missing-response', '"Response" is an array, not an object'],
    ['a text Response', '{"Response":"ok"}', 'missing-response', '"Response" is a string, not an object'],
    ['no RequestId', '{"Response":{}}', 'missing-request-id', '"Response.RequestId" is missing'],
    [
      'an empty RequestId',
      '{"Response":{"RequestId":""}}',
      'missing-request-id',
      '"Response.RequestId" is not a non-empty string',
    ],
    [
      'a number RequestId',
      '{"Response":{"RequestId":7}}',
      'missing-request-id',
      '"Response.RequestId" is not a non-empty string',
    ],
    ['a cut body', '{"Response":{"RequestId":"r"', 'truncated', 'the JSON ends early (truncated body)'],
    ['not JSON', '{"Response" x}', 'invalid-json', 'the body is not JSON'],
    [
      'an Error without Code',
      '{"Response":{"Error":{},"RequestId":"r"}}',
      'invalid-error',
      '"Response.Error" has no string "Code"',
    ],
    [
      'an empty Code',
      '{"Response":{"Error":{"Code":""},"RequestId":"r"}}',
      'invalid-error',
      '"Response.Error" has no string "Code"',
    ],
    [
      'a number Code',
      '{"Response":{"Error":{"Code":1},"RequestId":"r"}}',
      'invalid-error',
      '"Response.Error" has no string "Code"',
    ],
    [
      'an Error that is text',
      '{"Response":{"Error":"bad","RequestId":"r"}}',
      'invalid-error',
      '"Response.Error" has no string "Code"',
    ],
  ])('%s', (_label, body, reason, detail) => {
    const err = envelopeError(() => parseEnvelope(body as string));
    expect(err.reason).toBe(reason);
    expect(err.message).toContain(`(${reason}): ${detail}`);
  });

  it('a status outside 2xx makes it http-status, keeping what was wrong with the body', () => {
    for (const status of [199, 300, 404, 502]) {
      const err = envelopeError(() => parseEnvelope('[1]', { httpStatus: status }));
      expect(err.reason).toBe('http-status');
      expect(err.message).toContain(`HTTP ${status} and the JSON is an array, not an object`);
    }
    for (const status of [200, 299]) {
      expect(envelopeError(() => parseEnvelope('[1]', { httpStatus: status })).reason).toBe('not-an-object');
    }
  });

  it('takes the RequestId of an error from the body, else from the headers, and keeps the content type', () => {
    const headers = { 'x-tc-requestid': 'hdr-1', 'content-type': 'text/html' };
    const fromBody = parseEnvelope('{"Response":{"Error":{"Code":"X.Y"},"RequestId":"body-1"}}', { headers });
    expect(fromBody).toMatchObject({ ok: false, requestId: 'body-1' });
    const fromHeader = parseEnvelope('{"Response":{"Error":{"Code":"X.Y"},"RequestId":""}}', { headers });
    expect(fromHeader).toMatchObject({ ok: false, requestId: 'hdr-1' });
    const none = parseEnvelope('{"Response":{"Error":{"Code":"X.Y","Message":3}}}');
    expect(none).toMatchObject({ ok: false, requestId: '' });
    expect(!none.ok && none.error.requestId).toBe('');
    const err = envelopeError(() => parseEnvelope('<html>', { headers, httpStatus: 502 }));
    expect(err).toMatchObject({ requestId: 'hdr-1', contentType: 'text/html', httpStatus: 502 });
  });

  it('reads bytes as UTF-8 without a BOM', () => {
    const bytes = new TextEncoder().encode('\uFEFF{"Response":{"Name":"云","RequestId":"r"}}');
    expect(parseEnvelope(bytes)).toMatchObject({ ok: true, data: { Name: '云' } });
  });

  it('the deprecated locale option still picks the language of the message', () => {
    const body = '{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"m"},"RequestId":"r"}}';
    const byLanguage = parseEnvelope(body, { language: 'zh-CN' });
    const byLocale = parseEnvelope(body, { locale: 'zh-CN' });
    const english = parseEnvelope(body);
    expect(!byLocale.ok && byLocale.error.message).toBe(!byLanguage.ok && byLanguage.error.message);
    expect(!byLocale.ok && byLocale.error.message).not.toBe(!english.ok && english.error.message);
  });
});

describe('parseJson: the lossless parser (bodies with a 16-digit run) explains each fault', () => {
  const big = '12345678901234567';
  it.each([
    [`{"a":${big}} x`, 'Unexpected non-whitespace character after JSON at position 24', false],
    [`[${big}]\u00a0`, 'Unexpected non-whitespace character after JSON at position 19', false],
    [`{"a":${big}`, 'Unexpected end of JSON input', true],
    [`{"a":${big},`, 'Unexpected end of JSON input', true],
    [`{"a":${big} 1}`, "Expected ',' or '}' in JSON at position 23", false],
    [`[${big} 1]`, "Expected ',' or ']' in JSON at position 19", false],
    [`[${big},`, 'Unexpected end of JSON input', true],
    [`{${big}}`, 'Expected a property name in JSON at position 1', false],
    [`{"a" ${big}}`, "Expected ':' in JSON at position 5", false],
    [`{"${big}"`, 'Unexpected end of JSON input', true],
    [`{"a":"${big}`, 'Unterminated string in JSON', true],
    [`{"a":"${big}\u0001"}`, 'Bad control character in string literal in JSON at position 23', false],
    [`{"a":"${big}\\`, 'Unterminated string in JSON', true],
    [`{"a":"${big}\\u12"`, 'Bad Unicode escape in JSON at position 23', false],
    [`{"a":"${big}\\u12`, 'Unterminated string in JSON', true],
    [`{"a":"${big}\\u12zz"}`, 'Bad Unicode escape in JSON at position 23', false],
    [`{"a":"${big}\\u012345"}`, null, false],
    [`{"a":"${big}\\x"}`, 'Bad escaped character in JSON at position 24', false],
    [`[${big},-]`, 'No number after minus sign in JSON at position 19', false],
    [`[${big},-`, 'Unexpected end of JSON input', true],
    [`[${big},1.`, 'Unexpected end of JSON input', true],
    [`[${big},1e`, 'Unexpected end of JSON input', true],
    [`[${big},1e+`, 'Unexpected end of JSON input', true],
    [`[${big},1.x]`, "Expected ',' or ']' in JSON at position 20", false],
    [`[${big}, tru`, 'Unexpected end of JSON input', true],
    [`[${big}, trux]`, 'Unexpected token "t" in JSON at position 20', false],
    [`[${big}, @]`, 'Unexpected token "@" in JSON at position 20', false],
  ])('%j', (text, message, truncated) => {
    if (message === null) {
      expect(parseJson(text)).toEqual({ a: `${big}\u012345` });
      return;
    }
    const err = caughtSync(() => parseJson(text)) as Error & { truncated: boolean };
    expect(err.message).toBe(message);
    expect(err.truncated).toBe(truncated);
  });

  it('skips exactly JSON white space around values', () => {
    expect(parseJson(` \t\n\r{ "a" : [ ${big} , 1 ] } \t\n\r`)).toEqual({ a: [BigInt(big), 1] });
  });

  it('keeps object keys as plain, writable data properties (even __proto__)', () => {
    const value = parseJson(`{"__proto__":{"x":1},"n":${big}}`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    const descriptor = Object.getOwnPropertyDescriptor(value, '__proto__');
    expect(descriptor).toMatchObject({ enumerable: true, writable: true, configurable: true, value: { x: 1 } });
  });

  it('accepts 512 levels of nesting and refuses 513', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${big}${']'.repeat(depth)}`;
    expect(() => parseJson(nested(512))).not.toThrow();
    expect(caughtSync(() => parseJson(nested(513))).message).toBe('JSON nested too deeply');
    const objects = (depth: number) => `${'{"a":'.repeat(depth)}${big}${'}'.repeat(depth)}`;
    expect(() => parseJson(objects(512))).not.toThrow();
    expect(caughtSync(() => parseJson(objects(513))).message).toBe('JSON nested too deeply');
  });

  it(`turns integers of up to ${MAX_BIGINT_DIGITS} digits into bigints, sign excluded, and refuses longer ones`, () => {
    const digits = (n: number) => `9${'0'.repeat(n - 1)}`;
    expect(parseJson(`[${digits(MAX_BIGINT_DIGITS)}]`)).toEqual([BigInt(digits(MAX_BIGINT_DIGITS))]);
    expect(parseJson(`[-${digits(MAX_BIGINT_DIGITS)}]`)).toEqual([-BigInt(digits(MAX_BIGINT_DIGITS))]);
    expect(() => parseJson(`[${digits(MAX_BIGINT_DIGITS + 1)}]`)).toThrow(/digit/);
    expect(() => parseJson(`[-${digits(MAX_BIGINT_DIGITS + 1)}]`)).toThrow(/digit/);
    expect(parseJson(`[${big}.5]`)).toEqual([Number(`${big}.5`)]);
    expect(parseJson(`[${big},9007199254740993]`, 'string')).toEqual([big, '9007199254740993']);
  });
});

async function events(chunks: readonly string[], options: Parameters<typeof parseEventStream>[1] = {}) {
  const encoder = new TextEncoder();
  const out: ServerSentEvent[] = [];
  for await (const event of parseEventStream(
    chunks.map((c) => encoder.encode(c)),
    options,
  ))
    out.push(event);
  return out;
}

async function streamFailure(chunks: readonly string[], options: Parameters<typeof parseEventStream>[1] = {}) {
  try {
    await events(chunks, options);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the stream to fail');
}

describe('parseEventStream: line endings and fields', () => {
  it('splits on CR, LF and CRLF, also when a CRLF is cut between two chunks', async () => {
    const got = await events(['data: a\r', '\ndata: b\r\r', 'data: c\n\ndata: d\r\n\r\n']);
    expect(got.map((e) => e.data)).toEqual(['a\nb', 'c', 'd']);
    const cutAfterCr = await events(['data: x\r', '\r', 'data: y\n', '\n']);
    expect(cutAfterCr.map((e) => e.data)).toEqual(['x', 'y']);
  });

  it('keeps a value after one leading space only, a field without colon, and ignores comment lines', async () => {
    const got = await events([': comment\ndata:  two spaces\ndata\ndata:no space\nevent:x:y\n:another\n\n']);
    expect(got).toEqual([{ event: 'x:y', data: ' two spaces\n\nno space' }]);
  });

  it('sets retry only from digits, id and retry only once seen, and dispatches nothing without data', async () => {
    const got = await events(['retry: 12a\nid: 1\n\nretry: 3000\ndata: x\n\nretry: a12\ndata: y\n\n', 'event: e\n\n']);
    expect(got).toEqual([
      { id: '1', retry: 3000, data: 'x' },
      { id: '1', retry: 3000, data: 'y' },
    ]);
    const plain = await events(['data: z\n\n']);
    expect(plain).toEqual([{ data: 'z' }]);
    expect(Object.keys(plain[0]!)).toEqual(['data']);
  });

  it('counts an event in UTF-8 bytes: 1 up to U+007F, 2 up to U+07FF, 3 up to U+FFFF, 4 past it', async () => {
    const fits = async (text: string, max: number) => {
      try {
        await events([`data:${text}\n\n`], { maxEventBytes: max });
        return true;
      } catch {
        return false;
      }
    };
    // "data:" is 5 bytes; the limit counts each line as it arrives.
    expect(await fits('\u007f', 6)).toBe(true);
    expect(await fits('\u0080', 6)).toBe(false);
    expect(await fits('\u07ff', 7)).toBe(true);
    expect(await fits('\u0800', 7)).toBe(false);
    expect(await fits('\u0800', 8)).toBe(true);
    expect(await fits('\u{10000}', 9)).toBe(true);
    expect(await fits('\u{10000}', 8)).toBe(false);
    expect(await fits('\u{10ffff}', 9)).toBe(true);
    expect(await fits('\ud7ff', 7)).toBe(false);
    expect(await fits('\ue000', 7)).toBe(false);
    expect(await fits('abc', 8)).toBe(true);
    expect(await fits('abcd', 8)).toBe(false);
  });

  it('refuses a maxEventBytes that is not a positive number, naming it', async () => {
    for (const bad of [0, -1, Number.NaN, '5' as unknown as number]) {
      const err = await streamFailure(['data: x\n\n'], { maxEventBytes: bad });
      expect(isUsageError(err)).toBe(true);
      expect(err.message).toContain(`must be a positive number of bytes, got ${String(bad)}`);
    }
  });

  it('releases the body of a stream it refuses for its maxEventBytes', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => undefined), // a stream that never ends on its own
      cancel: () => {
        cancelled = true;
      },
    });
    const err = await (async () => {
      for await (const _ of parseEventStream(body, { maxEventBytes: 0 })) break;
    })().catch((e: unknown) => e);
    expect(isUsageError(err)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
  });

  it('refuses a missing body with an EnvelopeError, whatever its kind', async () => {
    for (const body of [null, undefined, 42, 'text']) {
      try {
        for await (const _ of parseEventStream(body as never, { context: { action: 'ChatCompletions' } })) break;
        throw new Error('expected a failure');
      } catch (err) {
        expect(isEnvelopeError(err)).toBe(true);
        expect(err).toMatchObject({ reason: 'invalid-event-stream', action: 'ChatCompletions' });
        if (body === null || body === undefined || typeof body === 'number')
          expect((err as Error).message).toContain('there is no body to read events from');
      }
    }
  });
});

describe('parseEventStream: errors in the stream', () => {
  const headers = { 'x-tc-requestid': 'stream-1' };

  it('event: error with text data: an InternalError carrying the text and the stream RequestId', async () => {
    const err = await streamFailure(['event: error\ndata: quota exhausted\n\n'], { headers });
    expect(isApiError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'InternalError', requestId: 'stream-1' });
    expect(err.message).toContain('quota exhausted');
    const noHeader = await streamFailure(['event: error\ndata: oops\n\n']);
    expect(noHeader).toMatchObject({ code: 'InternalError', requestId: '' });
  });

  it('event: error with a JSON array or other JSON: an InternalError quoting it', async () => {
    const err = await streamFailure(['event: error\ndata: {"why":"busy","n":12345678901234567890}\n\n'], { headers });
    expect(err).toMatchObject({ code: 'InternalError', requestId: 'stream-1' });
    expect(err.message).toContain('{"why":"busy","n":"12345678901234567890"}');
    const arr = await streamFailure(['event: error\ndata: [1,2]\n\n']);
    expect(arr).toMatchObject({ code: 'InternalError' });
  });

  it('text that only looks like JSON stays text; data that is not an error passes', async () => {
    const got = await events(['data: {not json\n\n', 'data:   [1, 2]\n\n', 'data: x{"a":1}\n\n']);
    expect(got.map((e) => e.data)).toEqual(['{not json', [1, 2], 'x{"a":1}']);
    const fine = await events(['data: {"ErrorMsg":{"Code":0,"Msg":"ok"}}\n\n', 'data: {"Response":{"Error":"x"}}\n\n']);
    expect(fine).toHaveLength(2);
  });

  it('an error envelope in an event: its code, message and RequestId, else the stream RequestId', async () => {
    const own = await streamFailure(
      ['data: {"Response":{"Error":{"Code":"LimitExceeded","Message":"slow down"},"RequestId":"own-1"}}\n\n'],
      { headers },
    );
    expect(own).toMatchObject({ code: 'LimitExceeded', requestId: 'own-1' });
    expect(own.message).toContain('slow down');
    const inherited = await streamFailure(['data: {"Response":{"Error":{"Code":"LimitExceeded","Message":5}}}\n\n'], {
      headers,
    });
    expect(inherited).toMatchObject({ code: 'LimitExceeded', requestId: 'stream-1', serverMessage: '' });
  });

  it('a hunyuan ErrorMsg: a numeric or text code, its Msg, the Id only when the headers have none', async () => {
    const numeric = await streamFailure(['data: {"ErrorMsg":{"Code":4001,"Msg":"bad prompt"},"Id":"hy-1"}\n\n']);
    expect(numeric).toMatchObject({ code: '4001', requestId: 'hy-1' });
    expect(numeric.message).toContain('bad prompt');
    const withHeader = await streamFailure(['data: {"ErrorMsg":{"Code":"E1","Msg":7},"Id":"hy-2"}\n\n'], { headers });
    expect(withHeader).toMatchObject({ code: 'E1', requestId: 'stream-1', serverMessage: '' });
    const objectCode = await streamFailure(['data: {"ErrorMsg":{"Code":{"k":1}},"Id":5}\n\n']);
    expect(objectCode).toMatchObject({ code: '{"k":1}', requestId: '' });
  });

  it('an event whose data has too many digits for a bigint is an EnvelopeError', async () => {
    const err = await streamFailure([`data: [${'9'.repeat(MAX_BIGINT_DIGITS + 1)}]\n\n`], { headers });
    expect(isEnvelopeError(err)).toBe(true);
    expect(err).toMatchObject({ reason: 'invalid-event-stream', requestId: 'stream-1' });
    expect(err.message).toContain("an event's data: ");
  });
});
