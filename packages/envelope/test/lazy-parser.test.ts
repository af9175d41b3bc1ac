import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@x/test-support';
import { parseEnvelope, readEnvelope, type IntegerMode } from '../src/index';
import { envelopeOfText } from '../src/read-envelope-text';

// readEnvelope parses with the native JSON.parse and loads the exact 64-bit parser (json.ts) by
// import() only for a body with a 16-digit run or one JSON.parse refuses (read-envelope-text.ts).
// Either way the outcome must be parseEnvelope's, to the byte: these tests compare the two.

const response = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', 'X-TC-RequestId': 'hdr-1' } });

/** What a parse ended in, comparable with toEqual: the result, or the error's class and fields. */
function outcome(run: () => unknown): unknown {
  try {
    return { result: run() };
  } catch (err) {
    return { error: errorOf(err) };
  }
}
async function outcomeAsync(run: () => unknown): Promise<unknown> {
  try {
    return { result: await run() };
  } catch (err) {
    return { error: errorOf(err) };
  }
}
function errorOf(err: unknown): unknown {
  const e = err as Error & { reason?: string; detail?: string; requestId?: string; bodyExcerpt?: string };
  return {
    name: e.name,
    message: e.message,
    reason: e.reason,
    detail: e.detail,
    requestId: e.requestId,
    excerpt: e.bodyExcerpt,
    cause: (e.cause as Error | undefined)?.message,
  };
}

describe('readEnvelope: the exact parser only where it is needed', () => {
  it('a body with a large integer still parses exactly (bigint, or string when asked)', async () => {
    const body = '{"Response":{"InstanceId":18446744073709551615,"Small":42,"RequestId":"r-1"}}';
    const exact = await readEnvelope(response(body));
    expect(exact).toEqual({
      ok: true,
      requestId: 'r-1',
      data: { InstanceId: 18446744073709551615n, Small: 42, RequestId: 'r-1' },
    });
    const text = await readEnvelope(response(body), { integers: 'string' });
    expect(text.ok && text.data['InstanceId']).toBe('18446744073709551615');
    // `number` is JSON.parse's answer, rounded, as documented.
    const rounded = await readEnvelope(response(body), { integers: 'number' });
    expect(rounded.ok && rounded.data['InstanceId']).toBe(18446744073709552000);
  });

  it('a body without one is answered at once (no promise), the same as parseEnvelope', () => {
    const body = '\uFEFF{"Response":{"TotalCount":3,"Price":1.5e3,"RequestId":"r-2"}}';
    const meta = { httpStatus: 200 };
    const answer = envelopeOfText(body, meta);
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toEqual(parseEnvelope(body, meta));
  });

  it('a 16-digit run inside a string takes the exact parser, with the same result', async () => {
    const body = '{"Response":{"Card":"1234567890123456","RequestId":"r-3"}}';
    const answer = envelopeOfText(body, {});
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toEqual(parseEnvelope(body, {}));
  });

  it.each([
    ['truncated', '{"Response":{"RequestId":"r-4","Total":', 200],
    ['not JSON', '<html>bad gateway</html>', 502],
    ['empty', '  \n', 200],
    ['a BOM then nothing', '\uFEFF', 200],
    ['over the bigint limit', `{"Response":{"N":${'9'.repeat(1001)},"RequestId":"r-5"}}`, 200],
    ['an error envelope', '{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r-6"}}', 400],
    ['no RequestId', '{"Response":{"TotalCount":1}}', 200],
  ])('%s: the same error or result as parseEnvelope', async (_name, body, status) => {
    const meta = { httpStatus: status, headers: response('').headers };
    expect(await outcomeAsync(() => readEnvelope(response(body, status)))).toEqual(
      outcome(() => parseEnvelope(body, meta)),
    );
  });

  it('10,000 hostile bodies: readEnvelope ends as parseEnvelope does, integer mode by mode', async () => {
    const digits = fc.stringMatching(/^-?[1-9]\d{0,24}$/);
    const value = fc.oneof(digits, fc.json(), fc.constantFrom('null', '"x"', '[]', '1e400', '-0'));
    const envelope = fc
      .tuple(fc.array(fc.tuple(fc.constantFrom('A', 'Id', 'Error', 'RequestId'), value), { maxLength: 4 }))
      .map(([fields]) => `{"Response":{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}}`);
    const body = fc.oneof(
      envelope,
      fc.tuple(envelope, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
      fc.tuple(fc.constantFrom('', '\uFEFF', ' ', '\uFEFF\uFEFF'), envelope).map(([pre, text]) => pre + text),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom<IntegerMode>('bigint', 'string', 'number'), async (text, integers) => {
        const expected = outcome(() => parseEnvelope(text, { integers, httpStatus: 200 }));
        const got = await outcomeAsync(() => envelopeOfText(text, { integers, httpStatus: 200 }));
        expect(got).toEqual(expected);
      }),
      { numRuns: fuzzRuns(10_000) },
    );
  }, 120_000);
});
