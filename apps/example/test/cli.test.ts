import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@x/emulator';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, with a clean environment (no real credentials). */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('x-example on the embedded emulator (no credentials)', () => {
  it('call prints pretty JSON and the RequestId, and says it is offline', async () => {
    const r = await run([
      'call',
      'cvm',
      'DescribeInstances',
      '--param',
      'Limit=2',
      '--param',
      'Filters.0.Name=zone',
      '--param',
      'Filters.0.Values.0=ap-guangzhou-3',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/using the embedded @x\/emulator at http:\/\/127\.0\.0\.1:\d+, offline/);
    const json = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('\nRequestId')));
    expect(json.TotalCount).toBe(17);
    expect(json.InstanceSet).toHaveLength(2);
    expect(r.stdout).toMatch(/RequestId: [0-9a-f-]{36}\n$/);
  });

  it('call works offline for any service: a synthesized answer, params checked like the gateway', async () => {
    const r = await run(['call', 'cbs', 'DescribeDisks', '--param', 'Limit=3', '--output', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/DiskId/);
    expect(r.stdout.trim().split('\n')).toHaveLength(2 + 3 + 1); // header and rule, 3 rows, RequestId
    const typo = await run(['call', 'tke', 'DescribeClusters', '--param', 'Limt=1']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('UnknownParameter');
    expect(typo.stderr).toContain('`Limt`');
  });

  it('call --json --output table prints a table of the list', async () => {
    const r = await run(['call', 'cvm', 'DescribeRegions', '--output', 'table', '--json', '{}']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Region\s+RegionName\s+RegionState$/);
    expect(r.stdout).toContain('ap-shanghai-fsi');
  });

  it('call --dry-run says the request would succeed', async () => {
    const r = await run([
      'call',
      'cvm',
      'RunInstances',
      '--param',
      'Placement.Zone=ap-guangzhou-3',
      '--param',
      'ImageId=img-487zeit5',
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: RunInstances would succeed\.\nRequestId: [0-9a-f-]{36}\n$/);
  });

  it('list-instances --all pages with progress on stderr, then prints all 50', async () => {
    const r = await run(['list-instances', '--all']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('fetching page 3');
    expect(r.stderr).toContain('fetched 50 instances in 3 pages');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^InstanceId\s+InstanceName\s+InstanceState/);
    expect(lines).toHaveLength(52);
  });

  it('list-instances without --all shows the first page and says how many there are', async () => {
    const r = await run(['list-instances']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('showing 20 of 50 instances');
    expect(r.stdout.trim().split('\n')).toHaveLength(22);
  });

  it('chat streams the answer', async () => {
    const r = await run(['chat', 'hello there']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('你好！This is the emulator. You said: hello there\n');
    expect(r.stderr).toMatch(/RequestId: [0-9a-f-]{36}/);
  });

  it('explain prints both languages, category, retryability and the ancestor used', async () => {
    const r = await run(['explain', 'RequestLimitExceeded.UinLimitExceeded.Foo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '(not in the catalog itself: its nearest ancestor RequestLimitExceeded.UinLimitExceeded is)',
    );
    expect(r.stdout).toContain('zh-CN:     主账号限频。');
    expect(r.stdout).toContain('en-US:     The number of uin requests exceeds the frequency limit.');
    expect(r.stdout).toContain('category:  throttling');
    expect(r.stdout).toContain('retryable: yes');
    expect(r.stdout).toContain("hint:      The account's limit for this action is reached: slow down");
    const unknown = await run(['explain', 'NoSuchThing']);
    expect(unknown.code).toBe(1);
  });

  it('prints an API error as one block with the hint in the chosen language, exit 1', async () => {
    const r = await run(['call', 'cvm', 'DescribeInstances', '--param', 'Limit=1000', '--language', 'zh-CN']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Error: InvalidParameterValue\n {2}message: {3}Limit must be an integer between 1 and 100, got 1000\.\n {2}hint: {6}参数取值不合法：请对照文档中的取值范围或枚举检查错误信息所指的参数；资源 ID 须属于所调用的地域。\n {2}category: {2}client-input\n {2}RequestId: [0-9a-f-]{36}\n$/,
    );
  });

  it.each([
    [[], /no command given/],
    [['fly'], /unknown command "fly"/],
    [['call', 'cvm'], /call needs <service> <Action>/],
    [['call', 'cvm', 'DescribeInstances', '--param', 'oops'], /--param takes key=value/],
    [['call', 'foo', 'Bar'], /foo is not a service @x\/services knows: pass --version/],
    [['explain'], /explain needs an error code/],
    [['call', 'cvm', 'X', '--language', 'fr'], /--language must be en-US or zh-CN/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])("bad usage %j exits 2 with the usage text (the command's own when known)", async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: x-example (<command> \[options\]|call|explain)/);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: x-example');
  });

  it.each([
    [['call', '--help'], 'Usage: x-example call <service> <Action> [options]'],
    [['help', 'call'], 'Usage: x-example call <service> <Action> [options]'],
    [['chat', '-h'], 'Usage: x-example chat "<prompt>"'],
    [['help'], 'help [command]'],
    [['help', 'list-instances'], 'Usage: x-example list-instances [--all]'],
  ])('%j prints that help and exits 0', async (args, first) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(first);
    expect(r.stderr).toBe('');
  });

  it('the help names --endpoint and TENCENTCLOUD_ENDPOINT (and TENCENTCLOUD_REGION)', async () => {
    for (const args of [['help'], ['call', '--help'], ['demo', '--help']]) {
      const r = await run(args);
      expect(r.stdout).toMatch(/--endpoint <url>[\s\S]*TENCENTCLOUD_ENDPOINT/);
      expect(r.stdout).toContain('TENCENTCLOUD_REGION');
    }
  });

  it.each([
    [['call', 'cvm'], /call needs <service> <Action>/, 'Usage: x-example call'],
    [['chat'], /chat needs a prompt/, 'Usage: x-example chat'],
    [['list-instances', 'extra'], /list-instances takes no arguments/, 'Usage: x-example list-instances'],
    [['call', 'cvm', 'X', '--version', 'latest'], /--version must look like 2017-03-12/, 'Usage: x-example call'],
    [['help', 'nope'], /no help for "nope"/, 'Usage: x-example <command>'],
  ])("%j is refused before the emulator starts, with that command's usage", async (args, message, usage) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(usage);
    expect(r.stderr).not.toContain('using the embedded @x/emulator at');
  });
});

describe('x-example with credentials (the real-cloud path, pointed at an emulator)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('uses TENCENTCLOUD_SECRET_ID/KEY and does not start its own emulator', async () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: emulator.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: emulator.credentials.secretKey,
      TENCENTCLOUD_ENDPOINT: emulator.url,
    };
    const r = await run(['call', 'cvm', 'DescribeRegions'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('embedded');
    expect(emulator.requests.at(-1)).toMatchObject({
      action: 'DescribeRegions',
      secretId: emulator.credentials.secretId,
    });
  });

  it('reports an auth failure with its RequestId and never prints the key', async () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: emulator.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: 'a-wrong-secret-key',
      TENCENTCLOUD_ENDPOINT: emulator.url,
    };
    const r = await run(['call', 'cvm', 'DescribeRegions'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: AuthFailure.SignatureFailure');
    expect(r.stderr).toContain(emulator.requests.at(-1)!.requestId);
    expect(r.stdout + r.stderr).not.toContain('a-wrong-secret-key');
  });
});

describe('x-example demo', () => {
  it('tours a success, pagination, a typed error with its hint, a retried throttle, a dry run and a stream', async () => {
    const r = await run(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\. call DescribeRegions → 20 regions \(RequestId [0-9a-f-]{36}\)$/m);
    // Each step's heading comes before the lines it prints.
    expect(r.stdout).toMatch(
      /^2\. paginate DescribeInstances, 20 per page \(the first two instances\):\n {5}ins-\S+ .*\n {5}ins-\S+ .*\n {5}→ 50 instances in 3 pages, each with its own RequestId\n3\./m,
    );
    expect(r.stdout).toContain(
      '3. a typed error (a key that does not exist): AuthFailure.SecretIdNotFound [category auth, retryable false]',
    );
    expect(r.stdout).toContain('hint (zh-CN): 密钥错误、已删除或已禁用');
    expect(r.stdout).toMatch(
      /4\. DescribeInstancesStatus answered RequestLimitExceeded twice → succeeded on attempt 3/,
    );
    expect(r.stdout).toContain('5. dry run RunInstances → would-succeed');
    expect(r.stdout).toContain('6. stream ChatCompletions → 你好！This is the emulator. You said: hello');
    expect(r.stdout).toContain('a stream failing mid-way ends with ApiError 4001');
  });
});
