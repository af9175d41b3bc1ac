/**
 * How integers beyond 2^53 - 1 come back: `bigint` (default, exact), `string` (exact, easy to
 * serialise), or `number` (what `JSON.parse` does: silently rounded; opt-in only).
 */
export type IntegerMode = 'bigint' | 'string' | 'number';

/** A JSON value as this package returns it: JSON.parse's values, plus bigint for large integers. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Thrown inside this package when text is not JSON; callers turn it into an EnvelopeError. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    /** True when the text ended where more was expected: a truncated body. */
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

/** The text is JSON, but beyond a limit this parser keeps (see {@link MAX_BIGINT_DIGITS}); the message says which. */
export class JsonLimitError extends JsonSyntaxError {}

/**
 * The longest integer literal turned into a bigint. Converting a decimal literal to a bigint costs
 * time quadratic in its length (a 32 MiB one blocks the event loop for seconds), and no API 3.0
 * value comes near: a uint64 has 20 digits. Longer ones are refused (`integers: 'string'` keeps them as text).
 */
export const MAX_BIGINT_DIGITS = 1000;

/**
 * The native parser's message without the excerpt of the text that V8 quotes (`Unexpected token
 * 'a', "{"Token": abc…" is not valid JSON`): that text may be a secret, and the error is kept as
 * the `cause` of an EnvelopeError that users log.
 */
function withoutQuotedText(message: string): string {
  const quote = message.indexOf('"');
  if (quote < 0) return message;
  return message.slice(0, quote).replace(/[\s,]+$/, '') || 'Invalid JSON';
}

// Any unsafe integer has at least 16 digits (2^53 = 9007199254740992). A body without a run of
// 16 digits anywhere (strings included) can go straight to the native parser.
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Parses JSON text. Bodies without a 16-digit run take native `JSON.parse`; the others take a
 * lossless parser that keeps unsafe integers exact (as bigint or string, per `integers`).
 */
export function parseJson(text: string, integers: IntegerMode = 'bigint'): JsonValue {
  if (integers === 'number' || !LONG_DIGIT_RUN.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (err) {
      throw syntaxErrorOf(text, err);
    }
  }
  return new LosslessParser(text, integers).parseDocument();
}

/**
 * Why `JSON.parse` refused `text`, with `truncated` decided by this package's own parser. The
 * engine's message cannot decide it: engines word the same error differently (for
 * `{"a":1,"b"` V8 11 / Node 20 says "Unexpected end of JSON input", V8 12+ / Node 22 and 24 say
 * "Expected ':' after property name", JavaScriptCore and SpiderMonkey say something else again),
 * so a truncated body must not be recognised by its error text. Only failures take this path.
 */
function syntaxErrorOf(text: string, nativeError: unknown): JsonSyntaxError {
  try {
    new LosslessParser(text, 'string').parseDocument();
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
  }
  // Not expected (both parsers follow RFC 8259), but the native verdict stands if they disagree.
  return new JsonSyntaxError(
    withoutQuotedText(nativeError instanceof Error ? nativeError.message : String(nativeError)),
    false,
  );
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// What can follow a greedy NUMBER match when the text ends inside the number: at most 2 characters.
const NUMBER_CUT_SHORT = /^(?:\.|[eE][+-]?)$/;

/** A strict JSON parser (RFC 8259) that keeps unsafe integers exact. Used on the slow path, and to explain a JSON.parse failure. */
class LosslessParser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly integers: 'bigint' | 'string',
  ) {}

  parseDocument(): JsonValue {
    const value = this.value(0);
    this.skip();
    if (this.at < this.text.length) this.fail(`Unexpected non-whitespace character after JSON at position ${this.at}`);
    return value;
  }

  private fail(message: string, truncated = false): never {
    throw new JsonSyntaxError(message, truncated);
  }

  private skip(): void {
    while (this.at < this.text.length && WHITESPACE.has(this.text[this.at]!)) this.at++;
  }

  private value(depth: number): JsonValue {
    if (depth > 512) this.fail('JSON nested too deeply');
    this.skip();
    if (this.at >= this.text.length) this.fail('Unexpected end of JSON input', true);
    const ch = this.text[this.at]!;
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
      if (word.startsWith(this.text.slice(this.at)) && this.at < this.text.length)
        this.fail('Unexpected end of JSON input', true);
    }
    return this.fail(`Unexpected token ${JSON.stringify(ch)} in JSON at position ${this.at}`);
  }

  private object(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    this.at++;
    this.skip();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skip();
      if (this.at >= this.text.length) this.fail('Unexpected end of JSON input', true);
      if (this.text[this.at] !== '"') this.fail(`Expected a property name in JSON at position ${this.at}`);
      const key = this.string();
      this.skip();
      if (this.at >= this.text.length) this.fail('Unexpected end of JSON input', true);
      if (this.text[this.at] !== ':') this.fail(`Expected ':' in JSON at position ${this.at}`);
      this.at++;
      const value = this.value(depth + 1);
      // Same semantics as JSON.parse: a "__proto__" key is an own property, not the prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      this.skip();
      const sep = this.text[this.at];
      if (sep === undefined) this.fail('Unexpected end of JSON input', true);
      this.at++;
      if (sep === '}') return out;
      if (sep !== ',') this.fail(`Expected ',' or '}' in JSON at position ${this.at - 1}`);
    }
  }

  private array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.at++;
    this.skip();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skip();
      const sep = this.text[this.at];
      if (sep === undefined) this.fail('Unexpected end of JSON input', true);
      this.at++;
      if (sep === ']') return out;
      if (sep !== ',') this.fail(`Expected ',' or ']' in JSON at position ${this.at - 1}`);
    }
  }

  private string(): string {
    let out = '';
    let from = ++this.at;
    for (;;) {
      if (this.at >= this.text.length) this.fail('Unterminated string in JSON', true);
      const ch = this.text[this.at]!;
      if (ch === '"') {
        out += this.text.slice(from, this.at++);
        return out;
      }
      if (ch < ' ') this.fail(`Bad control character in string literal in JSON at position ${this.at}`);
      if (ch !== '\\') {
        this.at++;
        continue;
      }
      out += this.text.slice(from, this.at);
      const esc = this.text[this.at + 1];
      if (esc === undefined) this.fail('Unterminated string in JSON', true);
      if (esc === 'u') {
        const hex = this.text.slice(this.at + 2, this.at + 6);
        if (hex.length < 4 && /^[0-9a-fA-F]*$/.test(hex)) this.fail('Unterminated string in JSON', true);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`Bad Unicode escape in JSON at position ${this.at}`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.at += 6;
      } else {
        const mapped = ESCAPES[esc];
        if (mapped === undefined) this.fail(`Bad escaped character in JSON at position ${this.at + 1}`);
        out += mapped;
        this.at += 2;
      }
      from = this.at;
    }
  }

  private number(): number | bigint | string {
    if (this.integers === 'bigint') this.refuseLongDigitRun();
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) {
      if (this.text.slice(this.at) === '-') this.fail('Unexpected end of JSON input', true);
      this.fail(`No number after minus sign in JSON at position ${this.at}`);
    }
    const literal = match[0];
    this.at += literal.length;
    // "1." / "1e" / "1.5e-" at the very end: a number whose fraction or exponent was cut off.
    if (this.text.length - this.at <= 2 && NUMBER_CUT_SHORT.test(this.text.slice(this.at)))
      this.fail('Unexpected end of JSON input', true);
    const asNumber = Number(literal);
    const isInteger = !/[.eE]/.test(literal);
    if (isInteger && !Number.isSafeInteger(asNumber)) return this.integers === 'bigint' ? BigInt(literal) : literal;
    return asNumber;
  }

  /**
   * Refuses a number whose integer part has more than {@link MAX_BIGINT_DIGITS} digits after
   * looking at no more than that many: the cost of a 32 MiB literal is then that of a short one.
   */
  private refuseLongDigitRun(): void {
    const start = this.text.charCodeAt(this.at) === 45 ? this.at + 1 : this.at; // '-'
    const end = Math.min(this.text.length, start + MAX_BIGINT_DIGITS + 1);
    for (let i = start; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch < 48 || ch > 57) return;
    }
    if (end - start > MAX_BIGINT_DIGITS) {
      throw new JsonLimitError(
        `a number of more than ${MAX_BIGINT_DIGITS} digits at position ${this.at} is over the limit for bigint (read it with integers: 'string')`,
        false,
      );
    }
  }
}
