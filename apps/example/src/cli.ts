import { describeError, isApiError, isTencentCloudError, type Locale } from '@x/errors';
import { createClient, type ClientOptions } from '@x/client';
import { cvm as cvmService } from '@x/services/cvm';
import { hunyuan as hunyuanService } from '@x/services/hunyuan';
import { serviceVersions } from '@x/services';
import { startEmulator, type Emulator } from '@x/emulator';
import { parse, UsageProblem, USAGE, type Parsed } from './args';
import { demo } from './demo';
import { listOf, pretty, table } from './render';

/** The newest API version of every service @x/services types; --version picks another. */
const NEWEST_VERSION: ReadonlyMap<string, string> = new Map(serviceVersions.filter((v) => v.newest).map((v) => [v.service, v.version]));
const DEFAULT_REGION = 'ap-guangzhou';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** Real credentials when the environment has them; otherwise the embedded emulator. */
async function connection(args: Parsed): Promise<{ base: Partial<ClientOptions>; emulator?: Emulator }> {
  const env = process.env;
  const real = Boolean(env['TENCENTCLOUD_SECRET_ID'] && env['TENCENTCLOUD_SECRET_KEY']) || Boolean(env['TENCENTCLOUD_PROFILE']);
  const endpoint = args.endpoint ?? env['TENCENTCLOUD_ENDPOINT'];
  if (real) return { base: endpoint ? { endpoint } : {} };
  const emulator = await startEmulator();
  err(`(no TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY: using the embedded @x/emulator at ${emulator.url}, offline)`);
  return { base: { endpoint: emulator.url, credentials: emulator.credentials }, emulator };
}

async function call(args: Parsed, base: Partial<ClientOptions>): Promise<void> {
  const [service, action] = args.positionals;
  if (!service || !action) throw new UsageProblem('call needs <service> <Action>, e.g. call cvm DescribeInstances');
  const version = args.version ?? NEWEST_VERSION.get(service);
  if (!version) throw new UsageProblem(`${service} is not a service @x/services knows: pass --version YYYY-MM-DD to call it anyway`);
  const client = createClient({ ...base, service, version, region: args.region ?? DEFAULT_REGION, language: args.language });
  if (args.dryRun) {
    const { DryRun: _dryRun, ...params } = args.params;
    const result = await client.dryRun(action, params);
    out(result.dryRun === 'would-succeed' ? `Dry run: ${action} would succeed.` : `${action} ignored DryRun and ran:\n${pretty(result)}`);
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
  const cvm = createClient(cvmService, { ...base, region: args.region ?? DEFAULT_REGION, language: args.language });
  const rows: Record<string, unknown>[] = [];
  let pages = 0;
  const pageSize = 20;
  if (args.all) {
    for await (const instance of cvm.paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize })) {
      rows.push({ ...instance });
      if (rows.length % pageSize === 1) process.stderr.write(`\rfetching page ${++pages}… ${rows.length} instances so far`);
    }
    process.stderr.write(`\rfetched ${rows.length} instances in ${pages} pages.          \n`);
  } else {
    const page = await cvm.call('DescribeInstances', { Limit: pageSize });
    rows.push(...(page.InstanceSet ?? []).map((i) => ({ ...i })));
    err(`showing ${rows.length} of ${page.TotalCount ?? rows.length} instances (--all for every page)`);
  }
  out(table(rows, ['InstanceId', 'InstanceName', 'InstanceState', 'InstanceType', 'Placement', 'CPU', 'Memory']));
}

async function chat(args: Parsed, base: Partial<ClientOptions>): Promise<void> {
  const prompt = args.positionals.join(' ').trim();
  if (prompt === '') throw new UsageProblem('chat needs a prompt, e.g. chat "hello"');
  const hunyuan = createClient(hunyuanService, { ...base, region: args.region ?? DEFAULT_REGION, language: args.language });
  const stream = await hunyuan.stream('ChatCompletions', { Model: 'hunyuan-lite', Messages: [{ Role: 'user', Content: prompt }] });
  for await (const event of stream) process.stdout.write(event.Choices?.[0]?.Delta?.Content ?? '');
  out('');
  err(`RequestId: ${stream.requestId}`);
}

function explain(args: Parsed): void {
  const [code] = args.positionals;
  if (!code) throw new UsageProblem('explain needs an error code, e.g. explain AuthFailure.SignatureExpire');
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
    if (hint) err(`  hint:      ${hint.text}${hint.exact ? '' : ` (from ${hint.matchedCode})`}`);
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

async function main(argv: readonly string[]): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
  } catch (e) {
    if (e instanceof UsageProblem) {
      if (e.message) err(`x-example: ${e.message}\n`);
      (e.message ? err : out)(USAGE);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  if (args.command === 'explain') {
    try {
      explain(args);
    } catch (e) {
      if (!(e instanceof UsageProblem)) throw e;
      err(`x-example: ${e.message}\n`);
      err(USAGE);
      return 2;
    }
    return process.exitCode === 1 ? 1 : 0;
  }
  const commands: Record<string, (a: Parsed, b: Partial<ClientOptions>, e: Emulator | undefined) => Promise<void>> = {
    call,
    'list-instances': listInstances,
    chat,
    demo: (_a, b, e) => demo(b, e),
  };
  const run = commands[args.command];
  if (!run) {
    err(`x-example: unknown command ${JSON.stringify(args.command)}\n`);
    err(USAGE);
    return 2;
  }
  const { base, emulator } = await connection(args);
  try {
    await run(args, base, emulator);
    return 0;
  } catch (e) {
    if (e instanceof UsageProblem) {
      err(`x-example: ${e.message}\n`);
      err(USAGE);
      return 2;
    }
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
