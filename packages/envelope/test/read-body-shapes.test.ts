// readBody on responses and bodies of the wrong shape, and headerValue on node:http-style records:
// each gives a typed answer, never a TypeError.
import { describe, expect, it } from 'vitest';
import { headerValue, readBody, type ResponseLike } from '@x/envelope';
import { refusal } from './refusal';

const withBody = (body: unknown) => ({ status: 200, headers: new Headers(), body }) as ResponseLike;

describe('readBody refuses shapes it cannot read', () => {
  it.each([
    [null, 'the response is null, not a response object'],
    ['HTTP/1.1 200', 'the response is a string, not a response object'],
  ])('a response that is %j', async (response, detail) => {
    const err = await refusal(() => readBody(response as unknown as ResponseLike, { context: { action: 'A' } }));
    expect(err).toMatchObject({ reason: 'unreadable-body', action: 'A' });
    expect(err.message).toContain(detail);
  });

  it('an iterable whose iterator is null, or whose iterator factory throws', async () => {
    const nullIterator = await refusal(() => readBody(withBody({ [Symbol.asyncIterator]: () => null })));
    expect(nullIterator.message).toContain('the response body gave an iterator without a next() method');
    const throwing = await refusal(() =>
      readBody(
        withBody({
          [Symbol.iterator]: () => {
            throw new Error('no');
          },
        }),
      ),
    );
    expect(throwing.message).toContain('iterating the response body failed at once');
  });

  it('reads an undefined body as empty', async () => {
    expect((await readBody(withBody(undefined))).byteLength).toBe(0);
  });
});

describe('headerValue', () => {
  it('reads a record in any case, a repeated header by its first value, and nothing from no headers', () => {
    expect(headerValue({ 'X-TC-RequestId': ['first', 'second'] }, 'x-tc-requestid')).toBe('first');
    expect(headerValue({ 'content-type': 'application/json' }, 'Content-Type')).toBe('application/json');
    expect(headerValue({ other: 'x' }, 'content-type')).toBeUndefined();
    expect(headerValue(undefined, 'content-type')).toBeUndefined();
    expect(headerValue(null as never, 'content-type')).toBeUndefined();
  });
});
