import { describeError, isApiError, isTencentCloudError, type Locale } from '@x/errors';
import { createClient, type ClientOptions } from '@x/client';
import { cvm as cvmService } from '@x/services/cvm';
import { hunyuan as hunyuanService } from '@x/services/hunyuan';
import { serviceVersions } from '@x/services';
import { startEmulator, type Emulator } from '@x/emulator';
import { parse, UsageProblem, usageOf, COMMAND_HELP, type Parsed } from './args';
import { demo } from './demo';
import { listInstanceRows } from './instances';
import { listOf, pretty, table } from './render';

/** The newest API version of every service @x/services types; --version picks another. */
const NEWEST_VERSION: ReadonlyMap<string, string> = new Map(
  serviceVersions.filter((v) => v.newest).map((v) => [v.service, v.version]),
);
const DEFAULT_REGION = 'ap-guangzhou';
/** --region, else TENCENTCLOUD_REGION, else ap-guangzhou. */
const regionOf = (args: Parsed) => args.region ?? (process.env['TENCENTCLOUD_REGION'] || DEFAULT_REGION);

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** Real credentials when the environment has them; otherwise the embedded emulator. */
async function connection(args: Parsed): Promise<{ base: Partial<ClientOptions>; emulator?: Emulator }> {
  const env = process.env;
  const real =
    Boolean(env['TENCENTCLOUD_SECRET_ID'] && env['TENCENTCLOUD_SECRET_KEY']) || Boolean(env['TENCENTCLOUD_PROFILE']);
  const endpoint = args.endpoint ?? env['TENCENTCLOUD_ENDPOINT'];
  if (real) return { base: endpoint ? { endpoint } : {} };
  const emulator = await startEmulator();
  err(
    `(no TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY: using the embedded @x/emulator at ${emulator.url}, offline)`,
  );
  return { base: { endpoint: emulator.url, credentials: emulator.credentials }, emulator };
}

/**
 * Refuses bad arguments before anything starts (the embedded emulator, a connection): a usage
 * mistake costs nothing and says which command's help to read.
 */
function check(args: Parsed): void {
  const fail = (message: string) => new UsageProblem(message, args.command);
  const [first, second] = args.positionals;
  switch (args.command) {
    case 'call':
      if (!first || !second) throw fail('call needs <service> <Action>, e.g. call cvm DescribeInstances');
      if (!args.version && !NEWEST_VERSION.has(first))
        throw fail(`${first} is not a service @x/services knows: pass --version YYYY-MM-DD to call it anyway`);
      if (args.version && !/^\d{4}-\d{2}-\d{2}$/.test(args.version))
        throw fail(`--version must look like 2017-03-12, got ${args.version}`);
      return;
    case 'chat':
      if (args.positionals.join(' ').trim() === '') throw fail('chat needs a prompt, e.g. chat "hello"');
      return;
    case 'explain':
      if (!first) throw fail('explain needs an error code, e.g. explain AuthFailure.SignatureExpire');
      return;
    case 'list-instances':
    case 'demo':
      if (first !== undefined) throw fail(`${args.command} takes no arguments, got ${JSON.stringify(first)}`);
      return;
    default:
      return;
  }
}

async function call(args: Parsed, base: Partial<ClientOptions>): Promise<void> {
  const [service = '', action = ''] = args.positionals;
  const version = args.version ?? NEWEST_VERSION.get(service) ?? '';
  const client = createClient({ ...base, service, version, region: regionOf(args), language: args.language });
  if (args.dryRun) {
    const { DryRun: _dryRun, ...params } = args.params;
    const result = await client.dryRun(action, params);
    out(
      result.dryRun === 'would-succeed'
        ? `Dry run: ${action} would succeed.`
        : `${action} ignored DryRun and ran:\n${pretty(result)}`,
    );
    out(`RequestId: ${result.requestId}`);
    return;
  }
  const result = await client.call(action, args.params);
  const list = args.output === 'table' ? listOf(result) : undefined;
  if (args.output === 'table' && list === undefined) err('(no list in the result: printing JSON)');
  out(list ? table(list) : pretty(result));
  out(`RequestId: ${result.RequestId}`);
}

async function listInstances(args: Parsed, base: Partial<ClientOptions>): Promise<void> {
  const cvm = createClient(cvmService, { ...base, region: regionOf(args), language: args.language });
  const { rows, summary } = await listInstanceRows(cvm, args.all, (line) => process.stderr.write(`\r${line}`));
  err(args.all ? `\r${summary}          ` : summary);
  out(table(rows, ['InstanceId', 'InstanceName', 'InstanceState', 'InstanceType', 'Placement', 'CPU', 'Memory']));
}

async function chat(args: Parsed, base: Partial<ClientOptions>): Promise<void> {
  const prompt = args.positionals.join(' ').trim();
  const hunyuan = createClient(hunyuanService, { ...base, region: regionOf(args), language: args.language });
  const stream = await hunyuan.stream('ChatCompletions', {
    Model: 'hunyuan-lite',
    Messages: [{ Role: 'user', Content: prompt }],
  });
  for await (const event of stream) process.stdout.write(event.Choices?.[0]?.Delta?.Content ?? '');
  out('');
  err(`RequestId: ${stream.requestId}`);
}

function explain(args: Parsed): void {
  const code = args.positionals[0] ?? '';
  const found = describeError(code, { locale: args.language });
  if (!found) {
    out(`${code}: not in the catalog of common error codes (nor is any dotted ancestor).`);
    process.exitCode = 1;
    return;
  }
  out(code);
  if (!found.exact) out(`  (not in the catalog itself: its nearest ancestor ${found.matchedCode} is)`);
  out(`  zh-CN:     ${found.description['zh-CN']}`);
  out(`  en-US:     ${found.description['en-US']}`);
  out(`  hint:      ${found.hint}`);
  out(`  category:  ${found.category}`);
  out(`  retryable: ${found.retryable ? 'yes' : 'no'}`);
  if (found.reason) out(`  why:       ${found.reason}`);
}

/** One readable block for any failure, in the chosen language; never a secret. */
function printError(error: unknown, locale: Locale): void {
  if (isApiError(error)) {
    const hint = describeError(error.code, { locale });
    err(`Error: ${error.code}`);
    err(`  message:   ${error.serverMessage || '(none)'}`);
    if (hint) err(`  hint:      ${hint.hint}${hint.exact ? '' : ` (from ${hint.matchedCode})`}`);
    err(`  category:  ${error.category}${error.retryable ? ', retryable' : ''}`);
    err(`  RequestId: ${error.requestId}`);
    return;
  }
  if (isTencentCloudError(error)) {
    err(`Error: ${error.name}`);
    err(`  ${error.message}`);
    if (error.requestId) err(`  RequestId: ${error.requestId}`);
    return;
  }
  err(`Error: ${error instanceof Error ? error.message : String(error)}`);
}

/** Prints a usage problem: help asked for (exit 0) or a mistake with the relevant usage (exit 2). */
function usage(problem: UsageProblem, command?: string): number {
  if (!problem.message) {
    out(usageOf(problem.command ?? command));
    return 0;
  }
  err(`x-example: ${problem.message}\n`);
  err(usageOf(problem.command ?? command));
  return 2;
}

function help(args: Parsed): number {
  const [topic] = args.positionals;
  if (topic !== undefined && COMMAND_HELP[topic] === undefined)
    return usage(new UsageProblem(`no help for ${JSON.stringify(topic)}: not a command`));
  out(usageOf(topic));
  return 0;
}

const COMMANDS: Record<string, (a: Parsed, b: Partial<ClientOptions>, e: Emulator | undefined) => Promise<void>> = {
  call,
  'list-instances': listInstances,
  chat,
  demo: (_a, b, e) => demo(b, e),
};

async function main(argv: readonly string[]): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
    if (args.command === 'help') return help(args);
    if (args.command !== 'explain' && !COMMANDS[args.command])
      throw new UsageProblem(`unknown command ${JSON.stringify(args.command)}`);
    check(args);
  } catch (e) {
    if (e instanceof UsageProblem) return usage(e);
    throw e;
  }
  if (args.command === 'explain') {
    explain(args);
    return process.exitCode === 1 ? 1 : 0;
  }
  const run = COMMANDS[args.command]!;
  const { base, emulator } = await connection(args);
  try {
    await run(args, base, emulator);
    return 0;
  } catch (e) {
    if (e instanceof UsageProblem) return usage(e, args.command);
    printError(e, args.language);
    return 1;
  } finally {
    await emulator?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    printError(e, 'en-US');
    process.exit(1);
  },
);
