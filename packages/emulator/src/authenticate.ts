import type { IncomingMessage } from 'node:http';
import { parseTc3Authorization, tc3Matches, v1Matches, type KnownSecret } from './auth';
import { firstHeader, GatewayRefusal, type Gateway, type RequestRecord, type Say } from './gateway';
import type { IncomingCall } from './read-request';

/** Who is calling, and for which service (the signature names it; an unsigned call's settings do). */
export interface Caller {
  readonly service: string | undefined;
  /** The SecretId that signed the call (undefined for unsigned actions). */
  readonly secretId: string | undefined;
}

type Keyring = Pick<Gateway, 'secrets' | 'settings' | 'now'>;

const SIGNATURE_WINDOW_S = 300;

/**
 * Checks a call's credentials as the gateway does, by its signature scheme: v1 (params),
 * `Authorization: SKIP` (unsigned actions only) or TC3. Refuses with the AuthFailure.* codes.
 */
export async function authenticate(
  req: IncomingMessage,
  call: IncomingCall,
  record: RequestRecord,
  keyring: Keyring,
  say: Say,
): Promise<Caller> {
  const authorization = String(req.headers['authorization'] ?? '');
  let caller: Caller;
  if (call.v1) caller = await checkV1(req, call, record, keyring, say);
  else if (authorization === 'SKIP') caller = unsigned(call.action, record, keyring, say);
  else caller = await checkTc3(req, call, authorization, record, keyring, say);
  record.service = caller.service;
  record.secretId = caller.secretId;
  return caller;
}

async function checkV1(req: IncomingMessage, call: IncomingCall, record: RequestRecord, keyring: Keyring, say: Say) {
  const { form, action } = call;
  record.signatureMethod = form['SignatureMethod'] === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
  const host = String(req.headers.host ?? '');
  const service = host.split('.')[0];
  const secretId = form['SecretId'];
  const known = secretId ? keyring.secrets.get(secretId) : undefined;
  checkTimestamp(keyring, Number(form['Timestamp']), service, action);
  if (!secretId || !known) throw new GatewayRefusal('AuthFailure.SecretIdNotFound');
  checkToken(keyring, known, form['Token'], { service, action }, say);
  if (!(await v1Matches(call.method, host, form, known.secretKey)))
    throw new GatewayRefusal('AuthFailure.SignatureFailure');
  return { service, secretId };
}

function unsigned(action: string, record: RequestRecord, keyring: Keyring, say: Say): Caller {
  record.signatureMethod = 'SKIP';
  const service = Object.entries(keyring.settings).find(([, s]) => s.unsignedActions?.includes(action))?.[0];
  if (service) return { service, secretId: undefined };
  const message = say(`The action ${action} requires a signature.`, `接口 ${action} 需要签名。`);
  throw new GatewayRefusal('AuthFailure.InvalidAuthorization', message);
}

async function checkTc3(
  req: IncomingMessage,
  call: IncomingCall,
  authorization: string,
  record: RequestRecord,
  keyring: Keyring,
  say: Say,
): Promise<Caller> {
  if (authorization === '') {
    const message = say('The Authorization header is missing.', '缺少 Authorization 请求头。');
    throw new GatewayRefusal('AuthFailure.InvalidAuthorization', message);
  }
  const parts = parseTc3Authorization(authorization);
  if (!parts || !parts.signedHeaders.includes('content-type') || !parts.signedHeaders.includes('host')) {
    throw new GatewayRefusal('AuthFailure.InvalidAuthorization');
  }
  record.signatureMethod = 'TC3-HMAC-SHA256';
  const { service, secretId } = parts;
  const timestamp = Number(firstHeader(req, 'x-tc-timestamp'));
  if (!Number.isInteger(timestamp)) {
    const message = say(
      'The request is missing a required parameter `X-TC-Timestamp`.',
      '缺少必填参数 `X-TC-Timestamp`。',
    );
    throw new GatewayRefusal('MissingParameter', message);
  }
  checkTimestamp(keyring, timestamp, service, call.action);
  const known = keyring.secrets.get(secretId);
  if (!known) throw new GatewayRefusal('AuthFailure.SecretIdNotFound');
  const query = call.url.search.slice(1);
  const { method, body } = call;
  if (!(await tc3Matches({ method, query, headers: req.headers, body, parts, secretKey: known.secretKey }))) {
    throw new GatewayRefusal('AuthFailure.SignatureFailure');
  }
  checkToken(keyring, known, firstHeader(req, 'x-tc-token'), { service, action: call.action }, say);
  return { service, secretId };
}

function checkTimestamp(keyring: Keyring, timestamp: number, service: string | undefined, action: string): void {
  const clock = keyring.now(service, action);
  if (Number.isFinite(timestamp) && Math.abs(clock / 1000 - timestamp) <= SIGNATURE_WINDOW_S) return;
  // The client corrects its clock from this header, so it tells this call's (offset) time.
  throw new GatewayRefusal('AuthFailure.SignatureExpire', undefined, { Date: new Date(clock).toUTCString() });
}

function checkToken(
  keyring: Keyring,
  known: KnownSecret,
  token: string | undefined,
  call: { readonly service: string | undefined; readonly action: string },
  say: Say,
): void {
  const refuse = (en: string, zh: string) => new GatewayRefusal('AuthFailure.TokenFailure', say(en, zh));
  if (known.token !== undefined && token !== known.token) {
    throw token
      ? refuse('The token does not match the credentials.', 'token 与密钥不匹配。')
      : refuse('The request is missing the token of its temporary credentials.', '缺少临时密钥的 token。');
  }
  if (known.token === undefined && token)
    throw refuse('A token was sent with permanent credentials.', '永久密钥不需要 token。');
  if (known.expiresAt !== undefined && keyring.now(call.service, call.action) >= known.expiresAt) {
    throw refuse('The temporary credentials have expired.', '临时密钥已过期。');
  }
}
