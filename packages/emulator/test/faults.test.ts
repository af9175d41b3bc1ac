import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isEnvelopeError, isNetworkError } from '@x/errors';
import { fetchSender, nodeSender } from '@x/transport';
import { signTc3 } from '@x/transport/sign';
import { startEmulator, type Emulator } from '../src/index';
import { client, cvm, errorCode, raw, rejection } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 42 });
});
afterAll(() => emulator.close());
afterEach(() => emulator.faults.clear());

describe('fault injection', () => {
  it('latency delays the answer', async () => {
    emulator.faults.add({ fault: { kind: 'latency', ms: 150 } });
    const started = performance.now();
    await cvm(emulator).call('DescribeRegions');
    // Not a speed assertion: the fault must have made the call wait at least its latency.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('throttles after N calls, per action', async () => {
    emulator.faults.add({ action: 'DescribeRegions', fault: { kind: 'throttle', afterCalls: 2 } });
    const t = cvm(emulator);
    await t.call('DescribeRegions');
    await t.call('DescribeRegions');
    expect((await rejection(t.call('DescribeRegions')))['code']).toBe('RequestLimitExceeded');
    await t.call('DescribeInstances', { Limit: 1 }); // other actions are not throttled
  });

  it('throttles at a rate, deterministically for a seed', async () => {
    const run = async () => {
      const e = await startEmulator({ seed: 7, faults: [{ fault: { kind: 'throttle', rate: 0.5 } }] });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++)
        outcomes.push(
          await cvm(e)
            .call('DescribeRegions')
            .then(
              () => 'ok',
              (err: { code: string }) => err.code,
            ),
        );
      await e.close();
      return outcomes;
    };
    const first = await run();
    expect(first.filter((o) => o === 'RequestLimitExceeded').length).toBeGreaterThan(3);
    expect(first.filter((o) => o === 'ok').length).toBeGreaterThan(3);
    expect(await run()).toEqual(first);
  });

  it('stops after `times` uses, and a returned remover lifts a rule', async () => {
    const remove = emulator.faults.add({
      fault: { kind: 'throttle', code: 'RequestLimitExceeded.UinLimitExceeded' },
      times: 1,
    });
    expect((await rejection(cvm(emulator).call('DescribeRegions')))['code']).toBe(
      'RequestLimitExceeded.UinLimitExceeded',
    );
    await cvm(emulator).call('DescribeRegions');
    remove();
    expect(emulator.faults.list()).toEqual([]);
  });

  it('resets the connection before the response', async () => {
    emulator.faults.add({ fault: { kind: 'reset', when: 'before-response' } });
    const err = await rejection(cvm(emulator).call('DescribeRegions'));
    expect(isNetworkError(err)).toBe(true);
  });

  // Both senders, on every Node the suite runs on (.ci/run: 20, 22, 24).
  const senders = [
    ['the Node sender', () => nodeSender()],
    ['the fetch sender', () => fetchSender(fetch)],
  ] as const;

  it.each(senders)(
    'resets the connection in the middle of the body: a NetworkError with %s, never a short body read as complete',
    async (_name, make) => {
      // The answer declares its full Content-Length and the socket closes half-way through it.
      emulator.faults.add({ fault: { kind: 'reset', when: 'mid-body' } });
      const sender = make();
      const err = await rejection(cvm(emulator, { sender }).call('DescribeRegions'));
      (sender as { close?: () => void }).close?.();
      expect(isNetworkError(err)).toBe(true);
    },
  );

  it('truncates the body', async () => {
    emulator.faults.add({ fault: { kind: 'truncate', bytes: 40 } });
    const err = await rejection(cvm(emulator).call('DescribeRegions'));
    expect(isEnvelopeError(err) && err.reason).toBe('truncated');
  });

  it.each(senders)('truncates the body anywhere: always `truncated` with %s', async (_name, make) => {
    // `truncate` answers a complete HTTP message whose JSON stops early (what a broken proxy
    // sends): the client must say so whichever byte the cut falls on, whatever JSON.parse's wording.
    const sender = make();
    const { data } = await cvm(emulator, { sender }).call('DescribeRegions');
    const length = Buffer.byteLength(JSON.stringify({ Response: data }));
    for (const bytes of [1, 12, 13, 26, 29, 40, 41, 57, Math.floor(length / 2), length - 1]) {
      emulator.faults.add({ fault: { kind: 'truncate', bytes }, times: 1 });
      const err = await rejection(cvm(emulator, { sender }).call('DescribeRegions'));
      expect(isEnvelopeError(err) && err.reason, `cut at ${bytes} bytes`).toBe('truncated');
    }
    (sender as { close?: () => void }).close?.();
  });

  it('answers a 502 HTML page like a broken gateway', async () => {
    emulator.faults.add({ fault: { kind: 'gateway-error' } });
    const err = await rejection(cvm(emulator).call('DescribeRegions'));
    expect(err).toMatchObject({ kind: 'envelope', reason: 'http-status', httpStatus: 502 });
    expect(String(err['bodyExcerpt'])).toContain('502 Bad Gateway');
  });

  it('shifts its clock: SignatureExpire with a Date header the transport corrects from', async () => {
    emulator.faults.add({ fault: { kind: 'clock-offset', ms: 3_600_000 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const host = new URL(emulator.url).host;
    const { authorization } = await signTc3({
      method: 'POST',
      host,
      contentType: 'application/json',
      payload: '{}',
      service: 'cvm',
      timestamp,
      secretId: emulator.credentials.secretId,
      secretKey: emulator.credentials.secretKey,
    });
    const res = await raw(emulator.url, {
      headers: {
        'Content-Type': 'application/json',
        'X-TC-Action': 'DescribeRegions',
        'X-TC-Version': '2017-03-12',
        'X-TC-Region': 'ap-guangzhou',
        'X-TC-Timestamp': String(timestamp),
        Authorization: authorization,
      },
      body: '{}',
    });
    expect(errorCode(res.body)).toBe('AuthFailure.SignatureExpire');
    expect(Math.abs(Date.parse(String(res.headers['date'])) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    const t = cvm(emulator, { retry: { maxAttempts: 2 } });
    const result = await t.call('DescribeRegions');
    expect(result.attempts).toBe(2);
  });
});

describe('fault scopes and streams', () => {
  it('a clock offset scoped to one service shifts only its calls (and its Date header)', async () => {
    emulator.faults.add({ service: 'cvm', fault: { kind: 'clock-offset', ms: -3_600_000 } });
    const err = await rejection(cvm(emulator).call('DescribeRegions'));
    expect(err['code']).toBe('AuthFailure.SignatureExpire');
    const last = emulator.requests.at(-1)!;
    expect(last.errorCode).toBe('AuthFailure.SignatureExpire');
    const sts = await client(emulator, 'sts', '2018-08-13').call('GetCallerIdentity');
    expect(sts.data['AccountId']).toBe('100000000001');
    // The transport, allowed a retry, corrects its clock from the Date header of the cvm answer.
    expect((await cvm(emulator, { retry: { maxAttempts: 2 } }).call('DescribeRegions')).attempts).toBe(2);
  });

  it('truncates a stream in the middle of an event, ending the response cleanly', async () => {
    emulator.faults.add({ service: 'hunyuan', fault: { kind: 'truncate' } });
    const body = JSON.stringify({
      Model: 'hunyuan-lite',
      Stream: true,
      Messages: [{ Role: 'user', Content: 'hello there' }],
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const { authorization } = await signTc3({
      method: 'POST',
      host: new URL(emulator.url).host,
      contentType: 'application/json',
      payload: body,
      service: 'hunyuan',
      timestamp,
      secretId: emulator.credentials.secretId,
      secretKey: emulator.credentials.secretKey,
    });
    const res = await raw(emulator.url, {
      headers: {
        'Content-Type': 'application/json',
        'X-TC-Action': 'ChatCompletions',
        'X-TC-Version': '2023-09-01',
        'X-TC-Timestamp': String(timestamp),
        Authorization: authorization,
      },
      body,
    });
    expect(res.headers['x-tc-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const [first, second, ...rest] = res.body.split('\n\n');
    expect(JSON.parse(first!.replace(/^data: /, ''))).toHaveProperty('Choices');
    expect(second).toMatch(/^data: \{/);
    expect(() => JSON.parse(second!.replace(/^data: /, ''))).toThrow(); // cut inside the event
    expect(rest).toEqual([]);
    // A client drops the cut event (as the SSE standard says): the stream ends without FinishReason "stop".
    const stream = await client(emulator, 'hunyuan', '2023-09-01').stream<{ Choices: { FinishReason: string }[] }>(
      'ChatCompletions',
      JSON.parse(body) as Record<string, unknown>,
    );
    const events: { Choices: { FinishReason: string }[] }[] = [];
    for await (const event of stream.events) events.push(event.data);
    expect(events).toHaveLength(1);
    expect(events[0]?.Choices[0]?.FinishReason).toBe('');
  });

  it('resets a stream after its first event', async () => {
    emulator.faults.add({ service: 'hunyuan', fault: { kind: 'reset', when: 'mid-body' } });
    const stream = await client(emulator, 'hunyuan', '2023-09-01').stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Stream: true,
      Messages: [{ Role: 'user', Content: 'hello there' }],
    });
    let seen = 0;
    const err = await rejection(
      (async () => {
        for await (const _event of stream.events) seen++;
      })(),
    );
    expect(seen).toBe(1);
    expect(isNetworkError(err) || isEnvelopeError(err)).toBe(true);
  });

  it('faults scoped to an action leave the others alone, and `times` counts only matching calls', async () => {
    emulator.faults.add({ service: 'cvm', action: 'DescribeInstances', fault: { kind: 'gateway-error' }, times: 2 });
    await cvm(emulator).call('DescribeRegions');
    await cvm(emulator).call('DescribeRegions');
    expect((await rejection(cvm(emulator).call('DescribeInstances')))['httpStatus']).toBe(502);
    expect((await rejection(cvm(emulator).call('DescribeInstances')))['httpStatus']).toBe(502);
    expect((await cvm(emulator).call('DescribeInstances', { Limit: 1 })).httpStatus).toBe(200);
  });
});
