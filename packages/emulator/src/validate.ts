import type { Locale } from '@x/errors';
import type { ServiceSchema } from '@x/services';
import { sayIn, type Say } from './gateway';
import { fieldType, type ActionSchema, type FieldType } from './schema';

/** A request the gateway refuses before any handler runs: the code and its message in the caller's language. */
export interface ParamRefusal {
  readonly code: 'UnknownParameter' | 'MissingParameter' | 'InvalidParameter' | 'InvalidParameterValue';
  readonly message: string;
}

/** How deep params may nest (structs in structs): more is refused, so hostile input cannot exhaust the stack. */
export const MAX_PARAM_DEPTH = 32;

const KIND_NAMES: Record<ScalarKind, [en: string, zh: string]> = {
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
 * accepted (and converted) where the schema wants a number or a boolean, and a number where it
 * wants a string (a binary multipart part too: file params are typed as strings).
 * `null` stands for an absent param and is dropped.
 */
export function validateParams(
  action: ActionSchema,
  params: Record<string, unknown>,
  options: { readonly flattened: boolean; readonly language: Locale },
): { readonly params: Record<string, unknown> } | ParamRefusal {
  try {
    return {
      params: new ParamChecker(action.schema, options.flattened, sayIn(options.language)).struct(
        action.input,
        params,
        '',
        0,
      ),
    };
  } catch (err) {
    if (err instanceof Refused) return err.refusal;
    throw err;
  }
}

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);

/** Walks params along the schema's types; throws Refused at the first param the gateway would refuse. */
class ParamChecker {
  constructor(
    private readonly schema: ServiceSchema,
    private readonly flattened: boolean,
    private readonly say: Say,
  ) {}

  private refuse(code: ParamRefusal['code'], en: string, zh: string): never {
    throw new Refused({ code, message: this.say(en, zh) });
  }

  struct(index: number, value: unknown, path: string, depth: number): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.refuse(
        'InvalidParameter',
        `The parameter \`${path}\` must be an object.`,
        `参数 \`${path}\` 应为对象。`,
      );
    }
    if (depth > MAX_PARAM_DEPTH) {
      return this.refuse(
        'InvalidParameter',
        `The parameter \`${path}\` nests too deep.`,
        `参数 \`${path}\` 嵌套过深。`,
      );
    }
    const fields = this.schema.structs[index] ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      const at = join(path, name);
      if (!Object.prototype.hasOwnProperty.call(fields, name)) {
        this.refuse('UnknownParameter', `The parameter \`${at}\` is not recognized.`, `参数 \`${at}\` 未定义。`);
      }
      if (v === null || v === undefined) continue;
      out[name] = this.value(fieldType(fields[name]!), v, at, 0, depth);
    }
    for (const [name, code] of Object.entries(fields)) {
      if (out[name] !== undefined || !fieldType(code).required) continue;
      const at = join(path, name);
      this.refuse(
        'MissingParameter',
        `The request is missing a required parameter \`${at}\`.`,
        `缺少必填参数 \`${at}\`。`,
      );
    }
    return out;
  }

  private value(type: FieldType, value: unknown, path: string, level: number, depth: number): unknown {
    if (level < type.arrayDepth) {
      if (!Array.isArray(value)) {
        return this.refuse(
          'InvalidParameter',
          `The parameter \`${path}\` must be an array.`,
          `参数 \`${path}\` 应为数组。`,
        );
      }
      return value.map((item, i) => this.value(type, item, `${path}.${i}`, level + 1, depth));
    }
    if (typeof type.base === 'number') return this.struct(type.base, value, path, depth + 1);
    return this.scalar(type.base, value, path);
  }

  private scalar(kind: ScalarKind, value: unknown, path: string): unknown {
    const [en, zh] = KIND_NAMES[kind];
    const wrong = (): never =>
      this.refuse(
        'InvalidParameter',
        `The parameter \`${path}\` must be ${en}, got ${describe(value)}.`,
        `参数 \`${path}\` 应为${zh}，实际为 ${describe(value)}。`,
      );
    const badText = (): never =>
      this.refuse(
        'InvalidParameterValue',
        `The parameter \`${path}\` must be ${en}, got ${JSON.stringify(value)}.`,
        `参数 \`${path}\` 应为${zh}，实际为 ${JSON.stringify(value)}。`,
      );
    const accepted = SCALARS[kind](value, this.flattened);
    return accepted === WRONG ? wrong() : accepted === BAD_TEXT ? badText() : accepted;
  }
}

type ScalarKind = 's' | 'n' | 'b' | 'i';
const WRONG = Symbol('wrong type');
const BAD_TEXT = Symbol('text that is not of the type');

/** Each scalar kind's check: the value the handler gets, or why it is refused. */
const SCALARS: Record<ScalarKind, (value: unknown, flattened: boolean) => unknown> = {
  s(value, flattened) {
    if (typeof value === 'string') return value;
    // A form value that looked like a number or boolean was converted on the way in: turn it back.
    if (flattened && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
    // A binary part of a multipart body (a file param: the definitions type it as a string).
    if (flattened && value instanceof Uint8Array) return value;
    return WRONG;
  },
  b(value, flattened) {
    if (typeof value === 'boolean') return value;
    if (flattened && typeof value === 'string') return value === 'true' ? true : value === 'false' ? false : BAD_TEXT;
    return WRONG;
  },
  n(value, flattened) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (!flattened || typeof value !== 'string') return WRONG;
    const n = value.trim() === '' ? NaN : Number(value);
    return Number.isFinite(n) ? n : BAD_TEXT;
  },
  i(value, flattened) {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number') return Number.isInteger(value) ? value : BAD_TEXT;
    if (!flattened || typeof value !== 'string') return WRONG;
    if (!/^-?\d{1,20}$/.test(value)) return BAD_TEXT;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value);
  },
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
