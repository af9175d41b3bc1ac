import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { isEnvelopeError } from '@x/errors';
import { parseEnvelope } from '../src/index';

// A body cut short is `truncated`, any other broken body `invalid-json`, on every engine. The
// verdict once came from JSON.parse's message, which V8 words differently from version to version:
// for the emulator's 40-byte cut below, Node 20 said "Unexpected end of JSON input" and Node 22/24
// say "Expected ':' after property name", so the same bytes were `truncated` on one Node and
// `invalid-json` on the next. The suite runs on Node 20, 22 and 24 (see .ci/run).
const reasonOf = (text: string): string => {
  try {
    parseEnvelope(text);
  } catch (err) {
    if (isEnvelopeError(err)) return err.reason;
    throw err;
  }
  return 'ok';
};

// A 16-digit run sends the body to the lossless parser; without one it goes to JSON.parse first.
const BIG = '{"Response":{"Id":12345678901234567890,';

describe('a truncated body is told from a broken one by its bytes, not by the engine', () => {
  const cutShort = [
    '{"Response":{"TotalCount":20,"RegionSet"', // the emulator's `truncate` fault at 40 bytes
    '{"Response":{"TotalCount":20',
    '{"Response":{"TotalCount":20,',
    '{"Response":{"TotalCount":20,"RegionSet":[{"Region":"ap-gua',
    '{"Response":{"Items":[1,2',
    '{"Response":{"Ratio":1.',
    '{"Response":{"Ratio":1.5e',
    '{"Response":{"Ratio":1E-',
    '{"Response":{"Delta":-',
    '{"Response":{"Flag":fals',
    '{"Response":{"Name":"caf\\u00',
    '{"Response":{"Name":"a\\',
    '{"Response":{"Name" ',
    '{"Response":{"Name":',
    '{"Response":',
    '{',
  ];
  it.each(cutShort)('%s → truncated (JSON.parse path and lossless path)', (text) => {
    expect(reasonOf(text)).toBe('truncated');
    expect(reasonOf(BIG + text.slice('{"Response":{'.length))).toBe('truncated');
  });

  const broken = [
    '{"Response":{"TotalCount":20,}',
    '{"Response":{"TotalCount":20 "X"',
    '{"Response":{"Ratio":1.e5}}',
    '{"Response":{"Ratio":1.x',
    '{"Response":{"Ratio":01',
    '{"Response":{"Flag":fase',
    '{"Response":{"Name":"caf\\u00zz"}}',
    '{"Response":{"Name":"caf\\uz',
    '{"Response":{"Name":"a\\x"}}',
    '{"Response":{"Name":"tab\there"}}',
    '{"Response":{}} trailing',
    '{"Response":{"Name"}',
  ];
  it.each(broken)('%s → invalid-json (JSON.parse path and lossless path)', (text) => {
    expect(reasonOf(text)).toBe('invalid-json');
    expect(reasonOf(BIG + text.slice('{"Response":{'.length))).toBe('invalid-json');
  });

  // From the attacker's (or the broken proxy's) side: any envelope, compact or indented, cut
  // anywhere; then the same bytes with a control character (never valid outside or inside a JSON
  // string) spliced in at the cut.
  const envelopeText = fc
    .tuple(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), fc.boolean())
    .map(([data, indented, lossless]) => {
      const text = JSON.stringify({ Response: { RequestId: 'r-1', Data: data } }, null, indented ? 2 : undefined);
      return lossless ? BIG + text.slice(1 + text.indexOf('{', 1)) : text;
    });

  it('property: every proper prefix of an envelope is truncated; a bad byte at the cut is invalid-json', () => {
    fc.assert(
      fc.property(envelopeText, fc.nat(), (text, cut) => {
        expect(reasonOf(text)).toBe('ok');
        const at = 1 + (cut % (text.length - 1));
        expect(reasonOf(text.slice(0, at))).toBe('truncated');
        expect(reasonOf(`${text.slice(0, at)}\u0001${text.slice(at)}`)).toBe('invalid-json');
      }),
      { numRuns: fuzzRuns(10_000) },
    );
    // ~1 s alone; the budget is for a loaded shared machine (not a speed check).
  }, 120_000);
});
