import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { isTencentCloudError } from '@x/errors';
import { parseEventStream, readEnvelope, type ResponseLike } from '../src/index';

// Written from the attacker's side: a server (or a proxy in between) controls every byte of the
// body, how it is cut into chunks, the status and the headers; a buggy sender may hand over chunks
// that are not bytes at all. Whatever comes, the only errors are @x's own classes.

const encoder = new TextEncoder();

/** Splits bytes at the given cut points (any byte, inside UTF-8 characters too). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.slice(at, p));
    at = p;
  }
  out.push(bytes.slice(at));
  return out;
}

const bigNumber = fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String);
const hostileString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'toString'),
);
// JSON texts an attacker would try: error envelopes, hunyuan ErrorMsg with odd codes, big integers, objects that cannot become strings.
const json: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .record({
      Code: fc.oneof(
        hostileString,
        bigNumber,
        fc.constant('{"toString":1,"valueOf":1}'),
        fc.constant('[]'),
        fc.constant('0'),
      ),
      Msg: fc.oneof(hostileString, bigNumber),
    })
    .map(
      ({ Code, Msg }) =>
        `{"ErrorMsg":{"Code":${/^[-\d{[]/.test(Code) ? Code : JSON.stringify(Code)},"Msg":${/^-?\d+$/.test(Msg) ? Msg : JSON.stringify(Msg)}},"Id":1}`,
    ),
  fc
    .record({ code: fc.oneof(hostileString, bigNumber), id: fc.oneof(hostileString, bigNumber), big: bigNumber })
    .map(
      ({ code, id, big }) =>
        `{"Response":{"Error":{"Code":${JSON.stringify(code)},"Message":${big}},"RequestId":${/^-?\d+$/.test(id) ? id : JSON.stringify(id)},"N":${big}}}`,
    ),
  bigNumber.map((n) => `{"Value":${n},"Nested":[${n},{"x":${n}}]}`),
  fc.constantFrom(
    '{',
    '[',
    '{"a":',
    '{"Response":',
    '"',
    '{"Id":123456789012345678901234567890',
    `{"N":${'9'.repeat(2000)}}`,
  ),
);
const line = fc.oneof(
  json.map((j) => `data: ${j}`),
  json.map((j) => `data:${j}`),
  fc.constantFrom(
    'event: error',
    'event: message',
    'event:',
    'data',
    'data:',
    ': comment',
    'id: 1',
    'id: \0',
    'retry: 10',
    'retry: x',
    '',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const eol = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n');
const streamText = fc
  .array(fc.tuple(line, eol), { maxLength: 12 })
  .map((lines) => lines.map(([l, e]) => l + e).join(''));
const noise = fc.uint8Array({ maxLength: 40 });

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) void _;
}

function expectOwnError(err: unknown): void {
  if (!isTencentCloudError(err)) throw new Error(`escaped: ${String(err)}`, { cause: err });
}

describe('fuzz: parseEventStream', () => {
  it('10,000 hostile event streams, cut anywhere: only @x errors come out', async () => {
    await fc.assert(
      fc.asyncProperty(
        streamText,
        noise,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        fc.constantFrom('bigint', 'string', 'number' as const),
        async (text, junk, addJunk, cuts, maxEventBytes, integers) => {
          const bytes = addJunk ? new Uint8Array([...encoder.encode(text), ...junk]) : encoder.encode(text);
          const parts = split(bytes, cuts);
          async function* body() {
            yield* parts;
          }
          try {
            await drain(
              parseEventStream(body(), {
                maxEventBytes,
                integers: integers as 'bigint' | 'string' | 'number',
                headers: { 'X-TC-RequestId': 'fuzz' },
              }),
            );
          } catch (err) {
            expectOwnError(err);
          }
        },
      ),
      { numRuns: fuzzRuns(10_000) },
    );
  }, 120_000);
});

// Chunks a broken sender might yield instead of bytes.
const oddChunk = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    0,
    42,
    -1,
    NaN,
    true,
    'text',
    {},
    [],
    [1, 2],
    { length: 3 },
    { byteLength: 2 },
    Symbol('s'),
  ),
  fc.uint8Array({ maxLength: 10 }).map((b) => b.buffer),
  fc.uint8Array({ maxLength: 10 }).map((b) => new DataView(b.buffer)),
  fc.uint8Array({ maxLength: 10 }).map((b) => new Uint16Array(b.length >> 1)),
);

type BodyKind =
  | 'stream'
  | 'async'
  | 'sync'
  | 'throws-on-create'
  | 'throws-on-next'
  | 'bad-step'
  | 'no-next'
  | 'not-iterable'
  | 'null';

function makeBody(kind: BodyKind, parts: readonly unknown[]): unknown {
  switch (kind) {
    case 'stream':
      return new ReadableStream({
        pull(controller) {
          if (parts.length === 0) controller.close();
          else controller.enqueue((parts as unknown[]).shift());
        },
      });
    case 'async':
      return (async function* () {
        yield* parts;
      })();
    case 'sync':
      return parts;
    case 'throws-on-create':
      return {
        [Symbol.asyncIterator]: () => {
          throw new TypeError('cannot iterate');
        },
      };
    case 'throws-on-next':
      return {
        [Symbol.iterator]: () => ({
          next: () => {
            throw new RangeError('broken');
          },
        }),
      };
    case 'bad-step':
      return { [Symbol.asyncIterator]: () => ({ next: async () => parts[0] }) };
    case 'no-next':
      return { [Symbol.asyncIterator]: () => ({ next: 5 }) };
    case 'not-iterable':
      return { bytes: parts };
    case 'null':
      return null;
  }
}

describe('fuzz: readEnvelope', () => {
  it('10,000 hostile responses (bodies, chunk types, statuses, headers): only @x errors come out', async () => {
    const bodyText = fc.oneof(
      json,
      fc.string({ maxLength: 60 }),
      json.map((j) => `{"Response":${j}}`),
      fc.constantFrom('{"Response":{"RequestId":"r"}}', ''),
    );
    await fc.assert(
      fc.asyncProperty(
        bodyText,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.tuple(fc.nat({ max: 8 }), oddChunk), { maxLength: 2 }),
        fc.constantFrom<BodyKind>(
          'stream',
          'async',
          'sync',
          'sync',
          'async',
          'throws-on-create',
          'throws-on-next',
          'bad-step',
          'no-next',
          'not-iterable',
          'null',
        ),
        fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(0, -1, 1000, NaN)),
        fc.dictionary(
          fc.constantFrom('content-type', 'content-length', 'x-tc-requestid', 'x-tc-traceid'),
          fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('text/event-stream', '-1', '1e400', '99999999999999')),
        ),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        async (text, cuts, odd, kind, status, headers, maxBytes) => {
          const parts: unknown[] = split(encoder.encode(text), cuts);
          for (const [at, chunk] of odd) parts.splice(at % (parts.length + 1), 0, chunk);
          const response = {
            status,
            headers: new Headers(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v))),
            body: makeBody(kind, parts),
          } as ResponseLike;
          try {
            const result = await readEnvelope(response, { maxBytes });
            expect(typeof result.requestId).toBe('string');
          } catch (err) {
            expectOwnError(err);
          }
        },
      ),
      { numRuns: fuzzRuns(10_000) },
    );
  }, 120_000);
});
