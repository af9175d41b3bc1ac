import { parseArgs } from 'node:util';

/** Bad command-line usage: printed with the usage text, exit code 2. */
export class UsageProblem extends Error {
  override readonly name = 'UsageProblem';
}

export const USAGE = `Usage: x-example <command> [options]

Commands:
  demo                                    a tour: call, pagination, typed error, retry, dry run, stream
  call <service> <Action> [--param k=v ...] [--json '{...}'] [--region r] [--version v]
                          [--language en-US|zh-CN] [--dry-run] [--output json|table]
  list-instances [--all] [--region r]    page through cvm DescribeInstances, print a table
  chat "<prompt>"                         stream a hunyuan ChatCompletions answer
  explain <ErrorCode> [--language ...]    the catalog entry of an error code

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (or a profile file) talk to
Tencent Cloud; without them the embedded @x/emulator answers, offline.`;

export interface Parsed {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly params: Record<string, unknown>;
  readonly region: string | undefined;
  readonly version: string | undefined;
  readonly language: 'en-US' | 'zh-CN';
  readonly dryRun: boolean;
  readonly output: 'json' | 'table';
  readonly all: boolean;
  readonly endpoint: string | undefined;
}

/** `Limit=10` → 10, `DryRun=true` → true, anything else stays text. */
function value(raw: string): unknown {
  if (/^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

/** Sets `Filters.0.Values.1` style paths, making arrays for numeric segments. */
export function setPath(target: Record<string, unknown>, path: string, raw: string): void {
  const keys = path.split('.');
  if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) {
    throw new UsageProblem(`--param ${path}: not a parameter name`);
  }
  let node: Record<string, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value(raw);
      return;
    }
    const nextIsIndex = /^\d+$/.test(keys[i + 1]!);
    node[key] ??= nextIsIndex ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

export function parse(argv: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        param: { type: 'string', multiple: true },
        json: { type: 'string' },
        region: { type: 'string' },
        version: { type: 'string' },
        language: { type: 'string' },
        'dry-run': { type: 'boolean' },
        output: { type: 'string' },
        all: { type: 'boolean' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageProblem(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) throw new UsageProblem(command === undefined && !values.help ? 'no command given' : '');
  const language = values.language ?? 'en-US';
  if (language !== 'en-US' && language !== 'zh-CN') throw new UsageProblem(`--language must be en-US or zh-CN, got ${language}`);
  const output = values.output ?? 'json';
  if (output !== 'json' && output !== 'table') throw new UsageProblem(`--output must be json or table, got ${output}`);
  let params: Record<string, unknown> = {};
  if (values.json !== undefined) {
    try {
      params = JSON.parse(values.json) as Record<string, unknown>;
    } catch {
      throw new UsageProblem('--json must be a JSON object, e.g. --json \'{"Limit": 5}\'');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new UsageProblem('--json must be a JSON object');
  }
  for (const pair of values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageProblem(`--param takes key=value, got ${JSON.stringify(pair)}`);
    setPath(params, pair.slice(0, eq), pair.slice(eq + 1));
  }
  if (values['dry-run']) params['DryRun'] = true;
  return {
    command,
    positionals: rest,
    params,
    region: values.region,
    version: values.version,
    language,
    dryRun: values['dry-run'] ?? false,
    output,
    all: values.all ?? false,
    endpoint: values.endpoint,
  };
}
