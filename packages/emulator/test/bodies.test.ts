// Multipart and raw (octet-stream) request bodies at the gateway: verified over their exact bytes,
// parsed into params (or handed over as bytes), refused as the gateway would when malformed.
import { request, type Agent } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { encodeMultipart } from '@x/transport';
import { signTc3 } from '@x/transport/sign';
import { loopbackAgent, startEmulator, type Emulator, type HandlerContext } from '../src/index';
import { client } from './helpers';

let emulator: Emulator;
const seen: { params: Record<string, unknown>; body: Uint8Array | undefined }[] = [];
const record = (params: Record<string, unknown>, ctx: HandlerContext) => {
  seen.push({ params, body: ctx.body });
  return { Parts: Object.keys(params).length, BodyBytes: ctx.body?.byteLength ?? null };
};
beforeAll(async () => {
  // The body parsers at the wire level: params the cii schema does not declare (Pages) are part of
  // the test, so the gateway's param validation is off here (schema.test.ts covers it).
  emulator = await startEmulator({
    fixtures: false,
    validate: false,
    handlers: { cii: { '2021-04-08': { UploadMedicalFile: record, DescribeQualityScore: record } } },
  });
});
afterAll(() => emulator.close());

const cii = () => client(emulator, 'cii', '2021-04-08');

/** A signed POST of exactly these bytes with this Content-Type, as a client would send it. */
async function signedPost(
  body: Uint8Array,
  contentType: string,
  options: { tamper?: (body: Uint8Array) => Uint8Array } = {},
) {
  const timestamp = Math.floor(Date.now() / 1000);
  const host = new URL(emulator.url).host;
  const { authorization } = await signTc3({
    method: 'POST',
    host,
    contentType,
    payload: body,
    service: 'cii',
    timestamp,
    headers: { 'X-TC-Action': 'UploadMedicalFile' },
    secretId: emulator.credentials.secretId,
    secretKey: emulator.credentials.secretKey,
  });
  const sent = options.tamper ? options.tamper(body) : body;
  return new Promise<{ Error?: { Code: string; Message: string }; RequestId: string }>((resolve, reject) => {
    const req = request(
      emulator.url,
      {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': contentType,
          'Content-Length': String(sent.byteLength),
          'X-TC-Action': 'UploadMedicalFile',
          'X-TC-Version': '2021-04-08',
          'X-TC-Timestamp': String(timestamp),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Response: never }).Response),
        );
      },
    );
    req.on('error', reject);
    req.end(sent);
  });
}

describe('multipart/form-data', () => {
  it('parses text parts into strings and binary parts into bytes, and records them', async () => {
    const file = new Uint8Array([0, 0xff, 13, 10, 45, 45, 0x80]);
    seen.length = 0;
    const { data } = await cii().call(
      'UploadMedicalFile',
      { FileURL: 'https://example.com/a.pdf', Pages: 3, File: file },
      { multipart: true },
    );
    expect(data['Parts']).toBe(3);
    expect(seen[0]!.params).toEqual({ FileURL: 'https://example.com/a.pdf', Pages: '3', File: file });
    expect(seen[0]!.params['File']).toBeInstanceOf(Uint8Array);
    expect(seen[0]!.body).toBeUndefined();
    const recorded = emulator.requests.at(-1)!;
    expect(recorded.params).toEqual({ FileURL: 'https://example.com/a.pdf', Pages: '3', File: file });
    expect(recorded.headers['content-type']).toMatch(/^multipart\/form-data; boundary=x-transport-[0-9a-f]{32}$/);
  });

  it('answers SignatureFailure when a byte of the body changed after signing', async () => {
    const { body, contentType } = encodeMultipart({ File: new Uint8Array([1, 2, 3]) });
    expect((await signedPost(body, contentType)).Error).toBeUndefined();
    const flipped = await signedPost(body, contentType, {
      tamper: (b) => {
        const copy = b.slice();
        copy[copy.indexOf(2)] = 9;
        return copy;
      },
    });
    expect(flipped.Error?.Code).toBe('AuthFailure.SignatureFailure');
    expect(flipped.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers InvalidParameter, with what was wrong and a RequestId, for a malformed body', async () => {
    const answer = await signedPost(
      new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'),
      'multipart/form-data; boundary=b',
    );
    expect(answer.Error?.Code).toBe('InvalidParameter');
    expect(answer.Error?.Message).toBe(
      'The multipart/form-data body is malformed: the body ends without its closing boundary.',
    );
    expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await signedPost(new Uint8Array(), 'multipart/form-data')).Error?.Message).toMatch(/no boundary parameter/);
    expect(emulator.requests.at(-1)?.errorCode).toBe('InvalidParameter');
  });

  it(
    'answers every hostile body with an envelope, never a 500 or a dropped connection',
    { timeout: 60_000 },
    async () => {
      const token = fc.constantFrom(
        '--b',
        '\r\n--b',
        '--b--',
        '\r\n',
        '\r\n\r\n',
        'Content-Disposition: form-data; name="a"',
        '"',
        ';',
        '\xff',
        'x',
      );
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 30 }), async (tokens) => {
          const answer = await signedPost(
            new Uint8Array(Buffer.from(tokens.join(''), 'latin1')),
            'multipart/form-data; boundary=b',
          );
          expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
          if (answer.Error) expect(answer.Error.Code).toBe('InvalidParameter');
        }),
        { numRuns: fuzzRuns(200) },
      );
    },
  );

  it('holds multipart bodies to the 10 MB POST limit', async () => {
    const answer = await signedPost(new Uint8Array(10 * 1024 * 1024 + 1), 'multipart/form-data; boundary=b');
    expect(answer.Error?.Code).toBe('RequestSizeLimitExceeded');
  });
});

describe('application/octet-stream', () => {
  it('hands the raw bytes to the handler as ctx.body, with empty params, and records them', async () => {
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    seen.length = 0;
    const { data } = await cii().call('DescribeQualityScore', {}, { body: bytes });
    expect(data).toMatchObject({ Parts: 0, BodyBytes: 5 });
    expect(seen[0]!.body).toEqual(bytes);
    expect(seen[0]!.params).toEqual({});
    expect(emulator.requests.at(-1)?.body).toEqual(bytes);
    expect(emulator.requests.at(-1)?.headers['content-type']).toBe('application/octet-stream');
  });

  it('answers SignatureFailure for a changed byte', async () => {
    const answer = await signedPost(new Uint8Array([5, 6, 7]), 'application/octet-stream', {
      tamper: () => new Uint8Array([5, 6, 8]),
    });
    expect(answer.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('leaves ctx.body and the recorded body undefined for JSON requests', async () => {
    seen.length = 0;
    await cii().call('DescribeQualityScore', { File: 'aGVsbG8=' });
    expect(seen[0]!.body).toBeUndefined();
    expect(emulator.requests.at(-1)?.body).toBeUndefined();
  });
});

// The official Node SDK's own multipart and octet-stream requests (its form-data body, its hash):
// proof that the emulator reads what Tencent's SDK sends, not only what @x/transport sends.
describe('the official Node SDK', () => {
  const { CommonClient } = createRequire(import.meta.url)('tencentcloud-sdk-nodejs-common') as {
    CommonClient: new (
      endpoint: string,
      version: string,
      config: Record<string, unknown>,
    ) => {
      request(
        action: string,
        params: Record<string, unknown>,
        options?: Record<string, unknown>,
      ): Promise<Record<string, unknown>>;
      requestOctetStream(action: string, body: Buffer): Promise<Record<string, unknown>>;
    };
  };
  let agent: Agent;
  beforeAll(() => {
    agent = loopbackAgent(emulator);
  });
  afterAll(() => agent.destroy());
  const official = () =>
    new CommonClient('cii.tencentcloudapi.com', '2021-04-08', {
      credential: { secretId: emulator.credentials.secretId, secretKey: emulator.credentials.secretKey },
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://', agent, reqTimeout: 10 } },
    });

  it('sends a multipart request the emulator verifies and parses', async () => {
    seen.length = 0;
    const file = Buffer.from([0, 0xff, 13, 10, 45, 45]);
    const result = await official().request(
      'UploadMedicalFile',
      { FileURL: 'https://example.com/a.pdf', File: file },
      { multipart: true },
    );
    expect(result['Parts']).toBe(2);
    expect(emulator.requests.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=-+[0-9a-f]+$/);
    expect(seen[0]!.params).toEqual({ FileURL: 'https://example.com/a.pdf', File: new Uint8Array(file) });
  });

  it('sends an octet-stream request whose bytes reach ctx.body', async () => {
    seen.length = 0;
    const result = await official().requestOctetStream('DescribeQualityScore', Buffer.from([9, 8, 7]));
    expect(result['BodyBytes']).toBe(3);
    expect(emulator.requests.at(-1)?.headers['content-type']).toBe('application/octet-stream; charset=utf-8');
    expect(seen[0]!.body).toEqual(new Uint8Array([9, 8, 7]));
  });
});
