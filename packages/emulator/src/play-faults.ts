import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Locale } from '@x/errors';
import type { Fault } from './faults';
import { GatewayRefusal, type Gateway, type RequestRecord } from './gateway';
import { gatewayPage } from './reply';
import { errorFaultMessage } from './routing';

/** The call a fault plays on, and where it answers. */
export interface FaultStage {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RequestRecord;
  readonly service: string;
  readonly version: string;
  readonly language: Locale;
}

/**
 * Plays the faults that fired for a call, in rule order: waits, drops the connection, answers a
 * gateway page, or refuses (throttle and error faults). True when the call was answered (or
 * dropped) here; truncation and mid-body resets are the reply's to play.
 */
export async function playFaults(fired: readonly Fault[], stage: FaultStage, gateway: Pick<Gateway, 'schemas'>) {
  for (const fault of fired) {
    if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
    else if (fault.kind === 'reset' && fault.when === 'before-response') {
      stage.record.errorCode = '(connection reset)';
      stage.req.socket.destroy();
      return true;
    } else if (fault.kind === 'gateway-error') {
      const status = fault.status ?? 502;
      stage.record.errorCode = `(HTTP ${status})`;
      stage.res.writeHead(status, { 'Content-Type': 'text/html' }).end(gatewayPage(status));
      return true;
    } else if (fault.kind === 'throttle') {
      throw new GatewayRefusal(fault.code ?? 'RequestLimitExceeded');
    } else if (fault.kind === 'error') {
      const { service, version, language } = stage;
      throw new GatewayRefusal(fault.code, await errorFaultMessage(gateway.schemas, service, version, fault, language));
    }
  }
  return false;
}
