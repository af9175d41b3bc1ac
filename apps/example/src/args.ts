import { parseArgs } from 'node:util';

/** Bad command-line usage: printed with the usage text (of `command`, when known), exit code 2; an empty message is a request for help (exit 0). */
export class UsageProblem extends Error {
  override readonly name = 'UsageProblem';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

const CONNECTION = `Connection:
  --endpoint <url>    send requests here instead of <service>.tencentcloudapi.com
                      (default: TENCENTCLOUD_ENDPOINT when set)
  --region <region>   default: TENCENTCLOUD_REGION, else ap-guangzhou
  --language <l>      en-US (default) or zh-CN: server messages and hints

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (or a profile file,
TENCENTCLOUD_PROFILE) talk to Tencent Cloud; without them the embedded @x/emulator answers, offline.`;

export const USAGE = `Usage: x-example <command> [options]

Commands:
  demo                                    a tour: call, pagination, typed error, retry, dry run, stream
  call <service> <Action> [--param k=v ...] [--json '{...}'] [--region r] [--version v]
                          [--language en-US|zh-CN] [--dry-run] [--output json|table]
  list-instances [--all] [--region r]    page through cvm DescribeInstances, print a table
  chat "<prompt>"                         stream a hunyuan ChatCompletions answer
  explain <ErrorCode> [--language ...]    the catalog entry of an error code
  help [command]                          this text, or a command's own (also <command> --help)

${CONNECTION}`;

/** Each command's own help: `x-example help call`, `x-example call --help`. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  demo: `Usage: x-example demo [--endpoint url]

A tour of the stack, one numbered step each: a call, pagination, a typed error with its hint,
a throttled call retried (injected on the embedded emulator only), a dry run and a stream.

${CONNECTION}`,
  call: `Usage: x-example call <service> <Action> [options]

Calls any action of any service @x/services knows (the newest API version unless --version).
  --param key=value   a param; dotted paths for nesting (Filters.0.Name=zone); numbers and
                      true/false are converted; repeatable
  --json '{...}'      params as a JSON object (--param values are added on top)
  --version v         API version, e.g. 2017-03-12 (needed for a service @x/services lacks)
  --dry-run           send DryRun: true (only actions that take DryRun)
  --output json|table print the result as JSON (default) or its list as a table

Example: x-example call cvm DescribeInstances --param Limit=2 --output table

${CONNECTION}`,
  'list-instances': `Usage: x-example list-instances [--all]

Prints cvm DescribeInstances as a table: the first page of 20, or every page with --all.

${CONNECTION}`,
  chat: `Usage: x-example chat "<prompt>"

Streams a hunyuan ChatCompletions (hunyuan-lite) answer as it arrives.

${CONNECTION}`,
  explain: `Usage: x-example explain <ErrorCode> [--language en-US|zh-CN]

The catalog entry of an error code (or of its nearest dotted ancestor): both descriptions, what
to do, category and retryability. Works offline, no credentials needed.`,
  help: `Usage: x-example help [command]

Prints the usage, or a command's own help.`,
};

/** The help of `command`, or the general usage. */
export function usageOf(command: string | undefined): string {
  return (command !== undefined && COMMAND_HELP[command]) || USAGE;
}

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
  if (command === undefined) throw new UsageProblem(values.help ? '' : 'no command given');
  if (values.help) throw new UsageProblem('', command);
  const language = values.language ?? 'en-US';
  if (language !== 'en-US' && language !== 'zh-CN')
    throw new UsageProblem(`--language must be en-US or zh-CN, got ${language}`);
  const output = values.output ?? 'json';
  if (output !== 'json' && output !== 'table') throw new UsageProblem(`--output must be json or table, got ${output}`);
  let params: Record<string, unknown> = {};
  if (values.json !== undefined) {
    try {
      params = JSON.parse(values.json) as Record<string, unknown>;
    } catch {
      throw new UsageProblem('--json must be a JSON object, e.g. --json \'{"Limit": 5}\'');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw new UsageProblem('--json must be a JSON object');
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
