import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactHeaders, type Locale } from '@x/errors';
import { authenticate } from './authenticate';
import { callHandler, isStreamReply } from './call-handler';
import { GatewayRefusal, languageOf, sayIn, type Gateway, type RequestRecord } from './gateway';
import { playFaults } from './play-faults';
import { readCall } from './read-request';
import { answerPreflight, answerRefusal, writeCommonHeaders, writeJson, writeStream } from './reply';
import { routeCall } from './route-call';

/**
 * The emulator's request path: read the request, authenticate it, route it, play the faults that
 * fire, run the handler, reply. Each step refuses with a GatewayRefusal, answered here as the
 * gateway's error envelope; anything else thrown is the server's to answer (HTTP 500).
 */
export function createRequestHandler(gateway: Gateway): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const language = languageOf(req);
    writeCommonHeaders(req, res, gateway);
    if (req.method === 'OPTIONS' && gateway.cors) return answerPreflight(res);
    const record = recordRequest(req, gateway);
    try {
      await answerCall(req, res, record, gateway, language);
    } catch (err) {
      if (!(err instanceof GatewayRefusal)) throw err;
      answerRefusal(res, record, err, language);
    }
  };
}

async function answerCall(
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  gateway: Gateway,
  language: Locale,
): Promise<void> {
  const say = sayIn(language);
  const call = await readCall(req, record, say);
  const caller = await authenticate(req, call, record, gateway, say);
  const routed = await routeCall(call, caller, gateway, language, say);
  // Faults fire for calls that got this far, in rule order.
  const fired = gateway.faults.fire(routed.service, call.action);
  const stage = { req, res, record, service: routed.service, version: call.version, language };
  if (await playFaults(fired, stage, gateway)) return;
  const { requestId } = record;
  const answer = await callHandler({ call, caller, routed, requestId, language }, gateway, say);
  if (isStreamReply(answer)) return writeStream(res, answer.events, requestId, fired);
  writeJson(res, { ...answer, RequestId: requestId }, fired);
}

/** Starts the record of a request (kept for `emulator.requests`, the oldest dropped past the limit). */
function recordRequest(req: IncomingMessage, gateway: Gateway): RequestRecord {
  const record: RequestRecord = {
    method: req.method ?? '',
    service: undefined,
    version: undefined,
    action: undefined,
    region: undefined,
    params: {},
    headers: redactHeaders(req.headers as Record<string, string | string[] | undefined>),
    secretId: undefined,
    signatureMethod: undefined,
    body: undefined,
    requestId: randomUUID(),
    errorCode: undefined,
    time: gateway.now(),
  };
  const { requests, recordLimit } = gateway;
  requests.push(record);
  if (requests.length > recordLimit) requests.splice(0, requests.length - recordLimit);
  return record;
}
