import type { Locale } from '@x/errors';
import { fieldType, type ActionSchema, type FieldType } from './schema';

/** A request the gateway refuses before any handler runs: the code and its message in the caller's language. */
export interface ParamRefusal {
  readonly code: 'UnknownParameter' | 'MissingParameter' | 'InvalidParameter' | 'InvalidParameterValue';
  readonly message: string;
}

/** How deep params may nest (structs in structs): more is refused, so hostile input cannot exhaust the stack. */
export const MAX_PARAM_DEPTH = 32;

const KIND_NAMES: Record<'s' | 'n' | 'b' | 'i', [en: string, zh: string]> = {
  s: ['a string', '字符串'],
  n: ['a number', '数字'],
  b: ['a boolean', '布尔值'],
  i: ['an integer', '整数'],
};

class Refused {
  constructor(readonly refusal: ParamRefusal) {}
}

/**
 * Checks an action's params against its schema as the gateway does and returns them as the
 * handler should see them: unknown names, missing required params and wrong types are refused,
 * naming the param's path (`Filters.0.Values`). `flattened`: the params came from a query string,
 * a form or multipart body, where every value travels as text, so a numeric or boolean text is
 * accepted (and converted) where the schema wants a number or a boolean, and a number where it wants a string
 * (a binary multipart part too: file params are typed as strings).
 * `null` stands for an absent param and is dropped.
 */
export function validateParams(
  action: ActionSchema,
  params: Record<string, unknown>,
  options: { readonly flattened: boolean; readonly language: Locale },
): { readonly params: Record<string, unknown> } | ParamRefusal {
  const t = (en: string, zh: string) => (options.language === 'zh-CN' ? zh : en);
  const refuse = (code: ParamRefusal['code'], en: string, zh: string): never => {
    throw new Refused({ code, message: t(en, zh) });
  };
  const { schema } = action;

  const checkStruct = (index: number, value: unknown, path: string, depth: number): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return refuse('InvalidParameter', `The parameter \`${path}\` must be an object.`, `参数 \`${path}\` 应为对象。`);
    }
    if (depth > MAX_PARAM_DEPTH) return refuse('InvalidParameter', `The parameter \`${path}\` nests too deep.`, `参数 \`${path}\` 嵌套过深。`);
    const fields = schema.structs[index] ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      const at = path === '' ? name : `${path}.${name}`;
      if (!Object.prototype.hasOwnProperty.call(fields, name)) {
        refuse('UnknownParameter', `The parameter \`${at}\` is not recognized.`, `参数 \`${at}\` 未定义。`);
      }
      if (v === null || v === undefined) continue;
      out[name] = checkValue(fieldType(fields[name]!), v, at, 0, depth);
    }
    for (const [name, code] of Object.entries(fields)) {
      if (out[name] === undefined && fieldType(code).required) {
        const at = path === '' ? name : `${path}.${name}`;
        refuse('MissingParameter', `The request is missing a required parameter \`${at}\`.`, `缺少必填参数 \`${at}\`。`);
      }
    }
    return out;
  };

  const checkValue = (type: FieldType, value: unknown, path: string, level: number, depth: number): unknown => {
    if (level < type.arrayDepth) {
      if (!Array.isArray(value)) return refuse('InvalidParameter', `The parameter \`${path}\` must be an array.`, `参数 \`${path}\` 应为数组。`);
      return value.map((item, i) => checkValue(type, item, `${path}.${i}`, level + 1, depth));
    }
    if (typeof type.base === 'number') return checkStruct(type.base, value, path, depth + 1);
    return checkScalar(type.base, value, path);
  };

  const checkScalar = (kind: 's' | 'n' | 'b' | 'i', value: unknown, path: string): unknown => {
    const [en, zh] = KIND_NAMES[kind];
    const wrong = (): never => refuse('InvalidParameter', `The parameter \`${path}\` must be ${en}, got ${describe(value)}.`, `参数 \`${path}\` 应为${zh}，实际为 ${describe(value)}。`);
    const badText = (): never =>
      refuse('InvalidParameterValue', `The parameter \`${path}\` must be ${en}, got ${JSON.stringify(value)}.`, `参数 \`${path}\` 应为${zh}，实际为 ${JSON.stringify(value)}。`);
    switch (kind) {
      case 's':
        if (typeof value === 'string') return value;
        // A form value that looked like a number or boolean was converted on the way in: turn it back.
        if (options.flattened && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
        // A binary part of a multipart body (a file param: the definitions type it as a string).
        if (options.flattened && value instanceof Uint8Array) return value;
        return wrong();
      case 'b':
        if (typeof value === 'boolean') return value;
        if (options.flattened && typeof value === 'string') return value === 'true' ? true : value === 'false' ? false : badText();
        return wrong();
      case 'n':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        if (options.flattened && typeof value === 'string') {
          const n = value.trim() === '' ? NaN : Number(value);
          return Number.isFinite(n) ? n : badText();
        }
        return wrong();
      case 'i':
        if (typeof value === 'bigint') return value;
        if (typeof value === 'number') return Number.isInteger(value) ? value : badText();
        if (options.flattened && typeof value === 'string') {
          if (!/^-?\d{1,20}$/.test(value)) return badText();
          const n = Number(value);
          return Number.isSafeInteger(n) ? n : BigInt(value);
        }
        return wrong();
    }
  };

  try {
    return { params: checkStruct(action.input, params, '', 0) };
  } catch (err) {
    if (err instanceof Refused) return err.refusal;
    throw err;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

