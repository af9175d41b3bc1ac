import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@x/client';
import { startEmulator, type Emulator } from '@x/emulator';
import { hunyuan as hunyuanService } from '@x/services/hunyuan';
import type { CallKind, Middleware } from '@x/transport';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('client middleware', () => {
  it('sees stream() calls as well as call(), and may change what a stream sends', async () => {
    const seen: { kind: CallKind; action: string | undefined; region: string | undefined; requestId: string }[] = [];
    const observe: Middleware = (next) => async (request, context) => {
      const result = await next(request, context);
      seen.push({ kind: request.kind, action: context.action, region: context.region, requestId: result.requestId });
      return result;
    };
    const toBeijing: Middleware = (next) => (request, context) =>
      next({ ...request, options: { ...request.options, region: 'ap-beijing' } }, context);
    const hunyuan = createClient(hunyuanService, {
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
      middleware: [toBeijing, observe],
    });
    const chat = await hunyuan.stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Messages: [{ Role: 'user', Content: 'hi' }],
    });
    let answer = '';
    for await (const event of chat) answer += event.Choices?.[0]?.Delta?.Content ?? '';
    expect(answer).toContain('You said: hi');
    await hunyuan.call('GetTokenCount', { Prompt: 'hi' });
    expect(seen.map(({ kind, action, region }) => ({ kind, action, region }))).toEqual([
      { kind: 'stream', action: 'ChatCompletions', region: 'ap-beijing' },
      { kind: 'call', action: 'GetTokenCount', region: 'ap-beijing' },
    ]);
    expect(seen[0]?.requestId).toBe(chat.requestId);
    const sent = emulator.requests.slice(-2).map((r) => r.region);
    expect(sent).toEqual(['ap-beijing', 'ap-beijing']);
  });
});
