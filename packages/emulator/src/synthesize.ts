import type { ServiceSchema } from '@x/services';
import { seededRandom } from './faults';
import { fieldType, type ActionSchema, type FieldType } from './schema';
import { STREAM_REPLY, type ActionHandler } from './types';

/**
 * Structs nest at most this deep in a synthesized answer; deeper (and recursive) struct fields are
 * left out, arrays left empty.
 */
const MAX_DEPTH = 4;
/** How many events a synthesized stream sends. */
const STREAM_EVENTS = 3;
/** Default page size of a synthesized list action called without `Limit`. */
const DEFAULT_LIMIT = 20;

/** FNV-1a: a stable 32-bit hash of a string, so every value derives from (seed, action, path) alone. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A plausible scalar for a field, from its name and a random source. */
function scalar(kind: 's' | 'n' | 'b' | 'i', name: string, random: () => number): unknown {
  switch (kind) {
    case 'b':
      return random() < 0.5;
    case 'n':
    case 'i':
      return Math.floor(random() * 100);
    case 's': {
      let token = '';
      for (let i = 0; i < 8; i++) token += BASE36[Math.floor(random() * 36)];
      if (/(?:Time|Date)$/.test(name)) {
        const day = 1 + Math.floor(random() * 28);
        return `2026-01-${String(day).padStart(2, '0')} 08:00:00`;
      }
      if (name === 'Region') return 'ap-guangzhou';
      if (name === 'Zone') return 'ap-guangzhou-3';
      if (/Id$/.test(name) && name.length > 2) return `${name.slice(0, 3).toLowerCase()}-${token}`;
      return `${name}-${token}`;
    }
  }
}

/** Builds values of a schema's types, each from the seed and its own path: the same request gets the same answer. */
class Synthesizer {
  constructor(
    private readonly schema: ServiceSchema,
    private readonly prefix: string,
  ) {}

  value(type: FieldType, name: string, path: string, depth: number, stack: readonly number[], level = 0): unknown {
    const random = seededRandom(hash(`${this.prefix}|${path}`));
    if (level < type.arrayDepth) {
      const nested = typeof type.base === 'number' && (depth >= MAX_DEPTH || stack.includes(type.base));
      const length = nested ? 0 : 1 + Math.floor(random() * 2);
      return Array.from({ length }, (_, i) => this.value(type, name, `${path}.${i}`, depth, stack, level + 1));
    }
    if (typeof type.base === 'number') return this.struct(type.base, path, depth + 1, stack);
    return scalar(type.base, name, random);
  }

  struct(index: number, path: string, depth: number, stack: readonly number[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const fields = this.schema.structs[index];
    if (!fields) return out;
    const inner = [...stack, index];
    for (const [name, code] of Object.entries(fields)) {
      const type = fieldType(code);
      const at = path === '' ? name : `${path}.${name}`;
      // Below the top level, a struct field that would recurse or nest too deep is left out (all
      // output fields are optional).
      if (
        depth > 0 &&
        type.arrayDepth === 0 &&
        typeof type.base === 'number' &&
        (depth >= MAX_DEPTH || inner.includes(type.base))
      )
        continue;
      out[name] = this.value(type, name, at, depth, inner);
    }
    return out;
  }
}

/** The list shape of an action: `TotalCount` and an array field in the output, `Offset` and `Limit` in the input. */
function listField(action: ActionSchema): string | undefined {
  const { schema } = action;
  const input = schema.structs[action.input] ?? {};
  const output = schema.structs[action.output] ?? {};
  if (!('Offset' in input) || !('Limit' in input) || !('TotalCount' in output)) return undefined;
  const arrays = Object.entries(output).filter(([, code]) => fieldType(code).arrayDepth > 0);
  return (arrays.find(([, code]) => typeof fieldType(code).base === 'number') ?? arrays[0])?.[0];
}

function pageOf(params: Record<string, unknown>): { offset: number; limit: number } {
  const int = (v: unknown) =>
    typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : NaN;
  const offset = int(params['Offset']);
  const limit = int(params['Limit']);
  return {
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : DEFAULT_LIMIT,
  };
}

/**
 * The answer of an action without a fixture or handler: every declared output field, with values
 * derived from the seed and the field's path (the same call answers the same). A list action has a
 * stable `TotalCount` (1 to 60 items) and pages its array by `Offset`/`Limit`; a streaming action
 * (always, or with its switch param true) answers a few synthesized events.
 */
export function synthesizedHandler(action: ActionSchema, seed: number): ActionHandler {
  const { schema } = action;
  const synth = new Synthesizer(schema, `${seed}|${schema.service}|${schema.version}|${action.name}`);
  const items = listField(action);
  const total = 1 + (hash(`${seed}|${schema.service}|${action.name}|total`) % 60);
  return (params) => {
    const streams = action.streaming === '' || (action.streaming !== undefined && params[action.streaming] === true);
    if (streams) {
      const events = Array.from({ length: STREAM_EVENTS }, (_, i) => synth.struct(action.output, `event${i}`, 0, []));
      return { [STREAM_REPLY]: true, events };
    }
    const out = synth.struct(action.output, '', 0, []);
    if (items) {
      const { offset, limit } = pageOf(params);
      const type = fieldType(schema.structs[action.output]![items]!);
      const end = Math.min(total, offset + limit);
      const page = [];
      for (let i = offset; i < end; i++) page.push(synth.value(type, items, `${items}.${i}`, 0, [action.output], 1));
      out[items] = page;
      out['TotalCount'] = total;
    }
    return out;
  };
}
