import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { schema } from '@x/services/cvm/v20170312/schema';
import { actionOf } from '../src/schema';
import { validateParams } from '../src/validate';

// The validator reads untrusted params (any JSON a caller sends, any flattened form): from the
// attacker's side, it must never throw, always answer one of the four gateway codes naming a path,
// and what it accepts must pass again unchanged.
const CODES = new Set(['UnknownParameter', 'MissingParameter', 'InvalidParameter', 'InvalidParameterValue']);
const actions = ['DescribeInstances', 'RunInstances', 'ModifyInstancesAttribute', 'CreateLaunchTemplate'].map((name) =>
  actionOf(schema, name)!,
);
const names = [
  'Filters',
  'Name',
  'Values',
  'Limit',
  'Offset',
  'Placement',
  'Zone',
  'ImageId',
  'InstanceIds',
  'Tags',
  'Key',
  'Value',
  '__proto__',
  'constructor',
  'Limt',
  '0',
];
const hostile = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...names), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('validateParams under hostile input', () => {
  it('never throws, refuses with a gateway code naming a path, and accepts its own output again (10k cases)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...actions),
        fc.dictionary(fc.constantFrom(...names), hostile.value, { maxKeys: 6 }),
        fc.boolean(),
        fc.constantFrom('en-US', 'zh-CN' as const),
        (action, params, flattened, language) => {
          const result = validateParams(action, params, { flattened, language });
          if ('params' in result) {
            expect(validateParams(action, result.params, { flattened: false, language })).toEqual(result);
          } else {
            expect(CODES.has(result.code)).toBe(true);
            expect(result.message).toMatch(/`[^`]+`/);
          }
        },
      ),
      { numRuns: fuzzRuns(10_000), seed: 15 },
    );
  });

  it('refuses nesting deeper than the cap instead of exhausting the stack', () => {
    const action = actionOf(schema, 'DescribeInstances')!;
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(
      validateParams(action, { Filters: deep as unknown[] }, { flattened: false, language: 'en-US' }),
    ).toMatchObject({ code: 'InvalidParameter' });
  });

  it('accepts a binary multipart part for a file param only from a text source (multipart), never from JSON', async () => {
    const cii = (await import('@x/services/cii/v20210408/schema')).schema;
    const upload = actionOf(cii, 'UploadMedicalFile')!;
    const file = new Uint8Array([1, 2, 3]);
    expect(validateParams(upload, { File: file }, { flattened: true, language: 'en-US' })).toEqual({
      params: { File: file },
    });
    expect(validateParams(upload, { File: file }, { flattened: false, language: 'en-US' })).toMatchObject({
      code: 'InvalidParameter',
    });
  });
});
