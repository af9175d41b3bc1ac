import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTencentCloudError } from '@x/errors';
import {
  fromAssumeRole,
  fromEnv,
  fromInstanceMetadata,
  fromProfile,
  fromWebIdentity,
  type CredentialProvider,
} from '../src/index.node';

// Every credential source fed truncated and malformed answers whose secret-bearing fields carry a
// marker: no error a caller can see (message, stack, JSON, inspect output, or any cause down the
// chain) may show the marker or any 10-character piece of it.
const KEY = 'KEYMARKERa1b2c3d4e5f6g7h8i9j0';
const TOKEN = 'TOKMARKERz9y8x7w6v5u4t3s2r1q0';
const markers = [KEY, TOKEN];

function fragmentsOf(marker: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 10 <= marker.length; i++) out.push(marker.slice(i, i + 10));
  return out;
}
const fragments = markers.flatMap(fragmentsOf);

function texts(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (e instanceof Error) {
      out.push(e.message, e.stack ?? '', String(e));
      try {
        out.push(JSON.stringify(e) ?? '');
      } catch {
        // a cause that cannot be serialised shows nothing through JSON
      }
      out.push(inspect(e, { depth: 10 }));
      e = e.cause;
    } else {
      out.push(String(e));
      e = undefined;
    }
  }
  return out;
}

function expectNoMarker(err: unknown, label: string): void {
  expect(err, `${label}: expected an error`).toBeDefined();
  expect(isTencentCloudError(err), `${label}: ${String(err)}`).toBe(true);
  for (const text of texts(err)) {
    for (const fragment of fragments)
      expect(text.includes(fragment), `${label} shows ${fragment}: ${text}`).toBe(false);
  }
}

const credentialsJson = `"TmpSecretId":"AKIDTMPMARK","TmpSecretKey":"${KEY}","Token":"${TOKEN}"`;
const sts = `{"Response":{"Credentials":{${credentialsJson}},"ExpiredTime":2000000000,"Expiration":"2033-05-18T03:33:20Z","RequestId":"r-1"}}`;
/** Bodies an STS (or a proxy in front of it) might answer, each carrying the markers. */
const stsBodies: Record<string, { status: number; body: string; type?: string }> = {
  'cut inside the key': { status: 200, body: sts.slice(0, sts.indexOf(KEY) + 15) },
  'cut inside the token': { status: 200, body: sts.slice(0, sts.indexOf(TOKEN) + 15) },
  'cut after the credentials': { status: 200, body: sts.slice(0, sts.indexOf('ExpiredTime')) },
  'unquoted values': {
    status: 200,
    body: `{"Response":{"Credentials":{"TmpSecretId":"AKIDTMP","TmpSecretKey":${KEY},"Token":${TOKEN}},"RequestId":"r"}}`,
  },
  'no RequestId': { status: 200, body: `{"Response":{"Credentials":{${credentialsJson}},"ExpiredTime":2000000000}}` },
  'no ExpiredTime': { status: 200, body: `{"Response":{"Credentials":{${credentialsJson}},"RequestId":"r"}}` },
  'a 502 with the JSON cut short': { status: 502, body: sts.slice(0, -12) },
  'a 500 page quoting them': { status: 500, body: `<html>upstream said TmpSecretKey=${KEY}&Token=${TOKEN}</html>` },
  'single quotes': { status: 200, body: `{'Response':{'Credentials':{'TmpSecretKey':'${KEY}','Token':'${TOKEN}'}}}` },
  'values in arrays': {
    status: 200,
    body: `{"Response":{"Credentials":{"TmpSecretKey":["${KEY}"],"Token":{"v":"${TOKEN}"}}}}`,
  },
  'numbers where strings belong': {
    status: 200,
    body: `{"Response":{"Credentials":{"TmpSecretId":1,"TmpSecretKey":"${KEY}","Token":"${TOKEN}"},"ExpiredTime":"x","RequestId":"r"}}`,
  },
  'an error envelope beside them': {
    status: 200,
    body: `{"Response":{"Error":{"Code":"InternalError"},"Credentials":{${credentialsJson}}`,
  },
  'an event stream': { status: 200, body: `data: {${credentialsJson}}\n\n`, type: 'text/event-stream' },
  'white space inside the key': {
    status: 200,
    body: `{"Response":{"Credentials":{"TmpSecretId":"AKIDTMP","TmpSecretKey":" ${KEY} ","Token":"${TOKEN}"},"ExpiredTime":2000000000,"RequestId":"r"}}`,
  },
};

const meta = `"TmpSecretId":"AKIDTMPMARK","TmpSecretKey":"${KEY}","Token":"${TOKEN}","ExpiredTime":2000000000`;
/** Answers of the instance metadata service for the role's credentials. */
const metadataBodies: Record<string, string> = {
  'Code Failure': `{${meta},"Code":"Failure"}`,
  'Code holding the key': `{${meta},"Code":["${KEY}"]}`,
  'Code that is the key': `{${meta},"Code":"${KEY}"}`,
  'cut inside the key': `{${meta}`.slice(0, 40),
  'unquoted key': `{"TmpSecretId":"AKIDTMP","TmpSecretKey":${KEY},"Token":"${TOKEN}","ExpiredTime":1,"Code":"Success"}`,
  'no ExpiredTime': `{"TmpSecretId":"AKIDTMP","TmpSecretKey":"${KEY}","Token":"${TOKEN}","Code":"Success"}`,
  'a key with spaces': `{"TmpSecretId":"AKIDTMP","TmpSecretKey":" ${KEY}","Token":"${TOKEN}","ExpiredTime":2000000000,"Code":"Success"}`,
  'an array': `["${KEY}","${TOKEN}"]`,
};

let server: Server;
let url: string;
let next: { status: number; body: string; type?: string } = { status: 200, body: '' };
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/meta/cam/security-credentials/') return void res.end('role\n');
      res.writeHead(next.status, { 'content-type': next.type ?? 'application/json' });
      res.end(next.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function failure(provider: CredentialProvider): Promise<unknown> {
  try {
    await provider();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('no credential source shows a secret of a bad answer', () => {
  it.each(Object.entries(stsBodies))('AssumeRole: %s', async (label, answer) => {
    next = answer;
    const provider = fromAssumeRole({
      roleArn: 'qcs::cam::uin/1:roleName/r',
      source: { secretId: 'AKIDSOURCE', secretKey: 'source-key-0000' },
      endpoint: url,
      timeoutMs: 2000,
    });
    expectNoMarker(await failure(provider), `AssumeRole ${label}`);
  });

  it.each(Object.entries(stsBodies))('AssumeRoleWithWebIdentity: %s', async (label, answer) => {
    next = answer;
    const provider = fromWebIdentity({
      roleArn: 'qcs::cam::uin/1:roleName/r',
      providerId: 'oidc',
      webIdentityToken: 'header.payload.sig',
      endpoint: url,
      env: {},
      timeoutMs: 2000,
    });
    expectNoMarker(await failure(provider), `web identity ${label}`);
  });

  it.each(Object.entries(metadataBodies))('instance metadata: %s', async (label, body) => {
    next = { status: 200, body };
    expectNoMarker(await failure(fromInstanceMetadata({ baseUrl: `${url}/meta/` })), `metadata ${label}`);
  });

  it('the environment: padded or half-set values', async () => {
    for (const env of [
      { TENCENTCLOUD_SECRET_ID: 'AKIDENV', TENCENTCLOUD_SECRET_KEY: ` ${KEY} ` },
      { TENCENTCLOUD_SECRET_ID: 'AKIDENV', TENCENTCLOUD_SECRET_KEY: KEY, TENCENTCLOUD_SESSION_TOKEN: `${TOKEN}\n` },
      { TENCENTCLOUD_SECRET_KEY: KEY },
    ]) {
      expectNoMarker(await failure(fromEnv({ env })), 'env');
    }
  });

  it('the profile file: padded, half-set, or garbled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-secrets-'));
    const files = [
      `[default]\nsecret_id = AKIDPROFILE\nsecret_key = "${KEY}" x\ntoken = ${TOKEN}\u0000\n`,
      `[default]\nsecret_key = ${KEY}\ntoken = ${TOKEN}\n`,
      `[other]\nsecret_id = AKIDPROFILE\nsecret_key = ${KEY}\n`,
      `secret_key = ${KEY}\n[default\n`,
    ];
    for (const [i, text] of files.entries()) {
      const file = join(dir, `credentials-${i}`);
      writeFileSync(file, text);
      const err = await failure(fromProfile({ file, env: {} }));
      if (err !== undefined) expectNoMarker(err, `profile file ${i}`);
    }
  });
});
