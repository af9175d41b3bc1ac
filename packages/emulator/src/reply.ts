import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Locale } from '@x/errors';
import { defaultMessage, failureOf } from './api-failure';
import type { Fault } from './faults';
import type { Gateway, GatewayRefusal, RequestRecord } from './gateway';

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-TC-Action',
  'X-TC-Version',
  'X-TC-Timestamp',
  'X-TC-Region',
  'X-TC-Token',
  'X-TC-Language',
  'X-TC-RequestClient',
  'X-TC-TraceId',
  'X-TC-Content-SHA256',
].join(', ');

/** The headers every answer carries: the emulator's Date, the caller's trace id back, and CORS's. */
export function writeCommonHeaders(req: IncomingMessage, res: ServerResponse, gateway: Gateway): void {
  res.setHeader('Date', new Date(gateway.now()).toUTCString());
  // The gateway hands the client's trace id back, so support can follow one request end to end.
  const traceId = req.headers['x-tc-traceid'];
  if (typeof traceId === 'string' && /^[\w.:-]{1,128}$/.test(traceId)) res.setHeader('X-TC-TraceId', traceId);
  const { cors } = gateway;
  if (!cors) return;
  res.setHeader('Access-Control-Allow-Origin', cors.origin);
  res.setHeader('Access-Control-Expose-Headers', 'X-TC-RequestId, X-TC-TraceId, Date');
  if (cors.origin !== '*') res.setHeader('Vary', 'Origin');
}

/** The answer to a CORS preflight (not recorded: it is no call). */
export function answerPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

/** The error envelope of a refused call (HTTP 200, as the API answers its errors). */
export function answerRefusal(res: ServerResponse, record: RequestRecord, refusal: GatewayRefusal, language: Locale) {
  record.errorCode = refusal.code;
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  const message = refusal.message ?? defaultMessage(refusal.code, language);
  writeJson(res, { Error: { Code: refusal.code, Message: message }, RequestId: record.requestId }, []);
}

/** The HTML page a broken gateway answers with. */
export function gatewayPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const lines = ['<html>', `<head><title>${title}</title></head>`, '<body>', `<center><h1>${title}</h1></center>`];
  return [...lines, '<hr><center>stgw</center>', '</body>', '</html>', ''].join('\r\n');
}

const BIGINT = '\u0000bigint:';

/** JSON with bigint values written as exact integers (handlers may answer 64-bit numbers). */
function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${BIGINT}${v}` : v));
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

type Truncate = Extract<Fault, { kind: 'truncate' }>;
const truncateOf = (fired: readonly Fault[]) => fired.find((f): f is Truncate => f.kind === 'truncate');
const resetsMidBody = (fired: readonly Fault[]) => fired.some((f) => f.kind === 'reset' && f.when === 'mid-body');

/** Answers `{ Response: response }`, cut short or dropped half-way as the fired faults say. */
export function writeJson(res: ServerResponse, response: Record<string, unknown>, fired: readonly Fault[]): void {
  const body = Buffer.from(toJson({ Response: response }));
  const truncate = truncateOf(fired);
  if (resetsMidBody(fired)) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  const sent = truncate ? body.subarray(0, truncate.bytes ?? Math.floor(body.length / 2)) : body;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': sent.length });
  res.end(sent);
}

/** Answers Server-Sent Events, one `data:` line per event, cut short or dropped as the fired faults say. */
export async function writeStream(
  res: ServerResponse,
  events: AsyncIterable<unknown> | Iterable<unknown>,
  requestId: string,
  fired: readonly Fault[],
): Promise<void> {
  const head = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' };
  res.writeHead(200, { ...head, 'X-TC-RequestId': requestId });
  const reset = resetsMidBody(fired);
  const truncate = truncateOf(fired);
  let n = 0;
  let sent = 0;
  const iterator = (Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : events[Symbol.iterator]()) as
    AsyncIterator<unknown> | Iterator<unknown>;
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = await iterator.next();
    } catch (thrown) {
      return endWithFailure(res, thrown, requestId);
    }
    if (step.done) break;
    if (res.destroyed) {
      await iterator.return?.();
      return;
    }
    if (reset && n === 1) {
      res.socket?.destroy();
      return;
    }
    const chunk = Buffer.from(`data: ${toJson(step.value)}\n\n`);
    // A truncated stream stops inside an event: by default half-way through the second one.
    const cut = truncate ? (truncate.bytes ?? (n === 1 ? sent + Math.floor(chunk.length / 2) : Infinity)) : Infinity;
    if (sent + chunk.length > cut) {
      res.end(chunk.subarray(0, Math.max(0, cut - sent)));
      return;
    }
    res.write(chunk);
    sent += chunk.length;
    n++;
    await new Promise((r) => setImmediate(r));
  }
  res.end();
}

/** A handler failing mid-stream answers as hunyuan does: one last event with ErrorMsg. */
function endWithFailure(res: ServerResponse, thrown: unknown, requestId: string): void {
  const failure = failureOf(thrown);
  if (!failure || res.destroyed) {
    res.destroy();
    return;
  }
  const last = { Id: requestId, ErrorMsg: { Code: failure.code, Msg: failure.message ?? failure.code } };
  res.end(`data: ${toJson(last)}\n\n`);
}
