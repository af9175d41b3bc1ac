// Multipart and raw (octet-stream) bodies end to end: @x/transport, as installed, with each of its
// senders, over real HTTP to @x/emulator on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '@x/errors';
import { createTransport, fetchSender, nodeSender, type Sender, type TransportOptions } from '@x/transport';
import { startEmulator, type Emulator, type HandlerContext } from '@x/emulator';

let emulator: Emulator;
const seen: { params: Record<string, unknown>; body: Uint8Array | undefined }[] = [];
const record = (params: Record<string, unknown>, ctx: HandlerContext) => {
  seen.push({ params, body: ctx.body });
  return { Received: Object.keys(params).join(',') };
};
beforeAll(async () => {
  emulator = await startEmulator({
    fixtures: false,
    handlers: { cii: { '2021-04-08': { UploadMedicalFile: record, DescribeQualityScore: record } } },
  });
});
afterAll(() => emulator.close());

/**
 * Changes one byte of a byte body after it was signed, what an attacker (or a broken proxy) does:
 * the first 0x01, inside the content, so a multipart body stays well-formed.
 */
const tampering =
  (inner: Sender): Sender =>
  (request) => {
    const body = request.body;
    if (!(body instanceof Uint8Array)) return inner(request);
    const changed = body.slice();
    changed[changed.indexOf(1)] = 2;
    return inner({ ...request, body: changed });
  };

describe.each([
  ['Node sender', () => nodeSender()],
  ['fetch sender', () => fetchSender()],
])('byte bodies with the %s', (_name, makeSender) => {
  let sender: Sender & { close?(): void };
  beforeAll(() => {
    sender = makeSender();
  });
  afterAll(() => sender.close?.());
  const cii = (extra: Partial<TransportOptions> = {}) =>
    createTransport({
      service: 'cii',
      version: '2021-04-08',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
      sender,
      ...extra,
    });

  it('sends a multipart call with a text part and a binary part', async () => {
    seen.length = 0;
    const file = new Uint8Array(70_000).map((_, i) => (i * 31) % 256); // more than one TCP segment, every byte value
    const { data, requestId } = await cii().call(
      'UploadMedicalFile',
      { FileURL: 'https://example.com/病历.pdf', File: file },
      { multipart: true },
    );
    expect(data['Received']).toBe('FileURL,File');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]!.params['FileURL']).toBe('https://example.com/病历.pdf');
    expect(seen[0]!.params['File']).toEqual(file);
    expect(emulator.requests.at(-1)?.signatureMethod).toBe('TC3-HMAC-SHA256');
  });

  it('sends a raw octet-stream body that reaches the handler as bytes', async () => {
    seen.length = 0;
    const bytes = new Uint8Array([0, 1, 2, 0x80, 0xfe, 0xff, 13, 10]);
    await cii().call('DescribeQualityScore', {}, { body: bytes });
    expect(seen[0]!.body).toEqual(bytes);
    expect(seen[0]!.params).toEqual({});
  });

  it('sends the same bytes again on a retry', async () => {
    seen.length = 0;
    emulator.faults.add({ action: 'UploadMedicalFile', fault: { kind: 'throttle' }, times: 1 });
    const result = await cii({ sleep: () => Promise.resolve() }).call(
      'UploadMedicalFile',
      { File: new Uint8Array([7, 7, 7]) },
      { multipart: true },
    );
    expect(result.attempts).toBe(2);
    expect(seen[0]!.params['File']).toEqual(new Uint8Array([7, 7, 7]));
  });

  it('fails the signature when a byte of a multipart or raw body changes after signing', async () => {
    const tampered = cii({ sender: tampering(sender), retry: false });
    const multipart = await tampered
      .call('UploadMedicalFile', { File: new Uint8Array(32).fill(1) }, { multipart: true })
      .catch((err: unknown) => err);
    expect(isApiError(multipart, 'AuthFailure.SignatureFailure')).toBe(true);
    const raw = await tampered
      .call('DescribeQualityScore', {}, { body: new Uint8Array(32).fill(1) })
      .catch((err: unknown) => err);
    expect(isApiError(raw, 'AuthFailure.SignatureFailure')).toBe(true);
    expect((raw as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a typed @x/client', () => {
  it('sends the multipart actions its descriptor names as multipart/form-data, bytes typed as Uint8Array', async () => {
    const { createClient } = await import('@x/client');
    const { cii } = await import('@x/services/cii');
    const client = createClient(cii, {
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials: emulator.credentials,
    });
    seen.length = 0;
    const file = new Uint8Array([37, 80, 68, 70, 0, 255]);
    const answer = await client.call('UploadMedicalFile', { File: file, FileURL: 'https://example.com/a.pdf' });
    expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(emulator.requests.at(-1)?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.params['File']).toEqual(file);
    // A caller may still turn it off for one call.
    await client.untyped
      .call('DescribeQualityScore', { File: 'aGVsbG8=' }, { multipart: false })
      .catch(() => undefined);
    expect(String(emulator.requests.at(-1)?.headers['content-type'])).toMatch(/^application\/json/);
    client.close();
  });
});
