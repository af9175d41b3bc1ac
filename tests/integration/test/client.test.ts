import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isApiError, isCredentialsError, isEnvelopeError } from '@x/client';
import { STREAM_ERROR_PROMPT, startEmulator, type Emulator } from '@x/emulator';
import { cvm as cvmService } from '@x/services/cvm';
import { hunyuan as hunyuanService } from '@x/services/hunyuan';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const cvm = () =>
  createClient(cvmService, { region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials });

describe('@x/client against @x/emulator', () => {
  it('calls an action, typed', async () => {
    const result = await cvm().call('DescribeInstances', {
      Limit: 2,
      Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }],
    });
    expect(result.TotalCount).toBe(17);
    expect(result.InstanceSet?.[0]?.Placement?.Zone).toBe('ap-guangzhou-3');
    expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('calls any action untyped', async () => {
    const client = createClient({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
    });
    expect((await client.call('DescribeRegions'))['TotalCount']).toBe(20);
  });

  it('paginates exactly over the 50 seeded instances, no duplicates', async () => {
    const before = emulator.requests.length;
    const ids: string[] = [];
    for await (const instance of cvm().paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize: 7 }))
      ids.push(instance.InstanceId ?? '');
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(emulator.requests.length - before).toBe(8); // ceil(50 / 7), not one more
  });

  it('streams typed events, and a pre-stream error throws before the first event', async () => {
    const hunyuan = createClient(hunyuanService, { endpoint: emulator.url, credentials: emulator.credentials });
    // No Stream: true needed: stream() sets the switch the descriptor names.
    const chat = await hunyuan.stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Messages: [{ Role: 'user', Content: 'ping' }],
    });
    let text = '';
    for await (const event of chat) text += event.Choices?.[0]?.Delta?.Content ?? '';
    expect(text).toBe('你好！This is the emulator. You said: ping');
    expect(chat.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const err = await hunyuan
      .stream('ChatCompletions', { Model: 'hunyuan-lite', Messages: [] })
      .catch((e: unknown) => e);
    expect(isApiError(err, 'MissingParameter')).toBe(true);
  });

  it('an untyped stream() answered with one JSON response refuses it, naming the switch, with the RequestId', async () => {
    const untyped = createClient({
      service: 'hunyuan',
      version: '2023-09-01',
      endpoint: emulator.url,
      credentials: emulator.credentials,
    });
    const err = await untyped
      .stream('ChatCompletions', { Model: 'hunyuan-lite', Messages: [{ Role: 'user', Content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.reason).toBe('unexpected-content-type');
    expect((err as Error).message).toMatch(
      /not an event stream: set its streaming param \(e\.g\. Stream: true\), or use call\(\)/,
    );
    expect((err as { requestId?: string; action?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((err as { action?: string }).action).toBe('ChatCompletions');
    // With the switch it streams; typed clients set it themselves (above).
    const stream = await untyped.stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Stream: true,
      Messages: [{ Role: 'user', Content: 'hi' }],
    });
    let events = 0;
    for await (const _event of stream) events++;
    expect(events).toBeGreaterThan(1);
  });

  it('call() answered with an event stream points to stream(), with the RequestId', async () => {
    const hunyuan = createClient(hunyuanService, { endpoint: emulator.url, credentials: emulator.credentials });
    const err = await hunyuan
      .call('ChatCompletions', { Model: 'hunyuan-lite', Stream: true, Messages: [{ Role: 'user', Content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.reason).toBe('unexpected-content-type');
    expect((err as Error).message).toMatch(/use stream\(\)/);
    expect((err as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ends a stream with an ApiError mid-way, and releases the connection when left early', async () => {
    const hunyuan = createClient(hunyuanService, { endpoint: emulator.url, credentials: emulator.credentials });
    const failing = await hunyuan.stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Messages: [{ Role: 'user', Content: STREAM_ERROR_PROMPT }],
    });
    const err = await (async () => {
      for await (const _e of failing);
    })().catch((e: unknown) => e);
    expect(isApiError(err, '4001' as never) && err.requestId).toBe(failing.requestId);
    const early = await hunyuan.stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Messages: [{ Role: 'user', Content: 'a long answer please' }],
    });
    for await (const _e of early) break;
    // The connection is free for the next call.
    expect(
      (await hunyuan.call('ChatCompletions', { Model: 'hunyuan-lite', Messages: [{ Role: 'user', Content: 'x' }] }))
        .Choices,
    ).toHaveLength(1);
  });

  it('dry runs: would-succeed on DryRunOperation, other errors still throw', async () => {
    const run = { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' };
    const result = await cvm().dryRun('RunInstances', run);
    expect(result).toEqual({ dryRun: 'would-succeed', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(emulator.requests.at(-1)?.params).toMatchObject({ DryRun: true });
    const err = await cvm()
      .dryRun('RunInstances', { ImageId: 'img-1' } as never)
      .catch((e: unknown) => e);
    expect(isApiError(err, 'MissingParameter')).toBe(true);
  });

  it('throws typed errors with the RequestId, in the chosen language', async () => {
    const client = createClient(cvmService, {
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: { secretId: emulator.credentials.secretId, secretKey: 'wrong-secret-key' },
      language: 'zh-CN',
    });
    const err = await client.call('DescribeRegions').catch((e: unknown) => e);
    expect(isApiError(err, 'AuthFailure')).toBe(true);
    // The emulator's message is the official text (in Chinese, as asked); the hint says what to do about it.
    expect(isApiError(err) && err.message).toMatch(
      /^AuthFailure\.SignatureFailure: 签名错误。.* \(RequestId [0-9a-f-]{36}, cvm:DescribeRegions in ap-guangzhou\)\. Hint: 请检查 SecretKey.*时钟/,
    );
    expect(JSON.stringify(err)).not.toContain('wrong-secret-key');
  });

  it('retries a throttled call and reports it', async () => {
    const remove = emulator.faults.add({ action: 'DescribeRegions', fault: { kind: 'throttle' }, times: 1 });
    const client = createClient({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
      retry: { baseDelayMs: 1, throttlingBaseDelayMs: 1 },
    });
    const result = await client.transport.call('DescribeRegions');
    expect(result.attempts).toBe(2);
    remove();
  });

  it('fails with one clear error when no credentials can be found', async () => {
    const saved = { ...process.env };
    try {
      delete process.env['TENCENTCLOUD_SECRET_ID'];
      delete process.env['TENCENTCLOUD_SECRET_KEY'];
      process.env['HOME'] = '/nonexistent-home';
      const client = createClient({
        service: 'cvm',
        version: '2017-03-12',
        region: 'ap-guangzhou',
        endpoint: emulator.url,
        retry: false,
      });
      const err = await client.call('DescribeRegions').catch((e: unknown) => e);
      expect(isCredentialsError(err)).toBe(true);
      expect((err as Error).message).toMatch(/env: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set/);
      expect((err as Error).message).toMatch(/profile default/);
      expect((err as Error).message).toMatch(/instance-metadata/);
    } finally {
      process.env = saved;
    }
  });
});

describe('createClient input checks', () => {
  it('refuses space-padded or empty keys at once, naming the field', () => {
    expect(() =>
      createClient({
        service: 'cvm',
        version: '2017-03-12',
        credentials: { secretId: ' AKIDEXAMPLE', secretKey: 'k' },
      }),
    ).toThrow(/^secretId: has white space/);
    expect(() =>
      createClient({ service: 'cvm', version: '2017-03-12', credentials: { secretId: 'AKIDEXAMPLE', secretKey: '' } }),
    ).toThrow(/^secretKey: is empty/);
    expect(() => createClient({ service: 'Not A Service', version: '2017-03-12' })).toThrow(
      /^service: must be a service name/,
    );
  });
});
