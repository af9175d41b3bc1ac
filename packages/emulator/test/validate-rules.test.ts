import { describe, expect, it } from 'vitest';
import type { ServiceSchema } from '@x/services';
import type { ActionSchema } from '../src/schema';
import { MAX_PARAM_DEPTH, validateParams } from '../src/validate';

// The gateway's param rules, one by one, with the exact words a caller reads (English and Chinese):
// a schema of every scalar kind, arrays, nested structs and required fields.
const schema: ServiceSchema = {
  service: 'demo',
  version: '2020-01-01',
  structs: [
    { Name: 's!', Count: 'n', Flag: 'b', Big: 'i', Tags: '[s', Items: '[1', Inner: '1', Grid: '[[n', Deep: '2' },
    { Key: 's!', Value: 'n' },
    { Next: '2', Leaf: 's' },
  ],
  codes: [],
  actions: {},
};
const action: ActionSchema = {
  name: 'Demo',
  schema,
  input: 0,
  output: 0,
  errors: [],
  streaming: undefined,
  multipart: false,
};

const check = (params: Record<string, unknown>, flattened = false, language: 'en-US' | 'zh-CN' = 'en-US') =>
  validateParams(action, params, { flattened, language });
const ok = (params: Record<string, unknown>, flattened = false) => {
  const result = check(params, flattened);
  if (!('params' in result)) throw new Error(`refused: ${result.code} ${result.message}`);
  return result.params;
};

describe('validateParams: what a caller is told', () => {
  it('unknown, missing, not-an-object and not-an-array params, in English and Chinese', () => {
    expect(check({ Name: 'a', Nmae: 'b' })).toEqual({
      code: 'UnknownParameter',
      message: 'The parameter `Nmae` is not recognized.',
    });
    expect(check({ Name: 'a', Nmae: 'b' }, false, 'zh-CN')).toEqual({
      code: 'UnknownParameter',
      message: '参数 `Nmae` 未定义。',
    });
    expect(check({})).toEqual({
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `Name`.',
    });
    expect(check({}, false, 'zh-CN')).toEqual({ code: 'MissingParameter', message: '缺少必填参数 `Name`。' });
    expect(check({ Name: 'a', Items: [{ Value: 1 }] })).toEqual({
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `Items.0.Key`.',
    });
    expect(check({ Name: 'a', Inner: 'x' })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Inner` must be an object.',
    });
    expect(check({ Name: 'a', Inner: ['x'] }, false, 'zh-CN')).toEqual({
      code: 'InvalidParameter',
      message: '参数 `Inner` 应为对象。',
    });
    expect(check({ Name: 'a', Inner: null, Items: [{ Key: 'k', Value: null }] })).toEqual({
      params: { Name: 'a', Items: [{ Key: 'k' }] },
    });
    expect(check({ Name: 'a', Tags: 'x' })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Tags` must be an array.',
    });
    expect(check({ Name: 'a', Tags: {} }, false, 'zh-CN')).toEqual({
      code: 'InvalidParameter',
      message: '参数 `Tags` 应为数组。',
    });
    expect(check({ Name: 'a', Grid: [[1], 2] })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Grid.1` must be an array.',
    });
    expect(check([] as unknown as Record<string, unknown>)).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `` must be an object.',
    });
  });

  it('names what a mistyped value was: strings cut at 40 characters, arrays, objects, null, numbers, booleans', () => {
    const message = (value: unknown) => (check({ Name: 'a', Count: value }) as { message: string }).message;
    expect(message('x'.repeat(40))).toBe(
      `The parameter \`Count\` must be a number, got the string "${'x'.repeat(40)}".`,
    );
    expect(message('y'.repeat(41))).toBe(
      `The parameter \`Count\` must be a number, got the string "${'y'.repeat(40)}…".`,
    );
    expect(message([1])).toBe('The parameter `Count` must be a number, got an array.');
    expect(message({})).toBe('The parameter `Count` must be a number, got an object.');
    expect(message(true)).toBe('The parameter `Count` must be a number, got boolean true.');
    expect(message(Infinity)).toBe('The parameter `Count` must be a number, got number Infinity.');
    expect(check({ Name: 5 })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Name` must be a string, got number 5.',
    });
    expect(check({ Name: 'a', Flag: 1 }, false, 'zh-CN')).toEqual({
      code: 'InvalidParameter',
      message: '参数 `Flag` 应为布尔值，实际为 number 1。',
    });
    expect(check({ Name: 'a', Big: 'x' })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Big` must be an integer, got the string "x".',
    });
    expect(check({ Name: 'a', Tags: [null] })).toEqual({
      code: 'InvalidParameter',
      message: 'The parameter `Tags.0` must be a string, got null.',
    });
  });

  it('JSON params keep their types: no text for numbers or booleans, no numbers for strings, no bytes', () => {
    expect(check({ Name: 'a', Count: '5' })).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: 'a', Flag: 'true' })).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: 'a', Big: '5' })).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: 1 })).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: true })).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: new Uint8Array([1]) })).toMatchObject({ code: 'InvalidParameter' });
    expect(ok({ Name: 'a', Count: 1.5, Flag: false, Big: 7 })).toEqual({ Name: 'a', Count: 1.5, Flag: false, Big: 7 });
    expect(ok({ Name: 'a', Big: 12345678901234567890n })).toEqual({ Name: 'a', Big: 12345678901234567890n });
    expect(check({ Name: 'a', Big: 1.5 })).toEqual({
      code: 'InvalidParameterValue',
      message: 'The parameter `Big` must be an integer, got 1.5.',
    });
    expect(check({ Name: 'a', Count: NaN })).toMatchObject({ code: 'InvalidParameter' });
  });

  it('flattened params accept text for numbers, booleans and integers, and turn numbers back into strings', () => {
    expect(ok({ Name: 12, Count: ' 2.5 ', Flag: 'false', Big: '-42' }, true)).toEqual({
      Name: '12',
      Count: 2.5,
      Flag: false,
      Big: -42,
    });
    expect(ok({ Name: true, Flag: 'true', Big: 7 }, true)).toEqual({ Name: 'true', Flag: true, Big: 7 });
    const bytes = new Uint8Array([1, 2]);
    expect(ok({ Name: bytes }, true)['Name']).toBe(bytes);
    expect(ok({ Name: 'a', Big: '12345678901234567890' }, true)['Big']).toBe(12345678901234567890n);
    expect(ok({ Name: 'a', Big: '9007199254740991' }, true)['Big']).toBe(9007199254740991);
    expect(check({ Name: 'a', Big: '123456789012345678901' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Big: '1.0' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Big: ' 1' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Big: '1 ' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Big: true }, true)).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: 'a', Flag: 'yes' }, true)).toEqual({
      code: 'InvalidParameterValue',
      message: 'The parameter `Flag` must be a boolean, got "yes".',
    });
    expect(check({ Name: 'a', Flag: 'yes' }, true, 'zh-CN')).toEqual({
      code: 'InvalidParameterValue',
      message: '参数 `Flag` 应为布尔值，实际为 "yes"。',
    });
    expect(check({ Name: 'a', Flag: 1 }, true)).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: 'a', Count: '' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Count: '  ' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Count: 'Infinity' }, true)).toMatchObject({ code: 'InvalidParameterValue' });
    expect(check({ Name: 'a', Count: true }, true)).toMatchObject({ code: 'InvalidParameter' });
    expect(check({ Name: {} }, true)).toMatchObject({ code: 'InvalidParameter' });
  });

  it('nests structs to the depth cap, and names the path of the refusal beyond it', () => {
    let deep: Record<string, unknown> = { Leaf: 'x' };
    // Deep is at depth 1, so MAX_PARAM_DEPTH - 1 more levels reach the cap exactly.
    for (let i = 0; i < MAX_PARAM_DEPTH - 1; i++) deep = { Next: deep };
    expect(ok({ Name: 'a', Deep: deep })['Deep']).toEqual(deep);
    const tooDeep = check({ Name: 'a', Deep: { Next: deep } });
    expect(tooDeep).toMatchObject({ code: 'InvalidParameter' });
    expect((tooDeep as { message: string }).message).toMatch(/^The parameter `Deep(\.Next)+` nests too deep\.$/);
    expect((check({ Name: 'a', Deep: { Next: deep } }, false, 'zh-CN') as { message: string }).message).toMatch(
      /^参数 `Deep(\.Next)+` 嵌套过深。$/,
    );
  });

  it('answers refusals it does not make itself by throwing them on', () => {
    const hostile = { Name: 'a' };
    Object.defineProperty(hostile, 'Count', {
      enumerable: true,
      get() {
        throw new RangeError('boom');
      },
    });
    expect(() => check(hostile)).toThrow(RangeError);
  });
});
