import type { Locale } from '@x/errors';
import type { Caller } from './authenticate';
import { GatewayRefusal, type Gateway, type Say } from './gateway';
import type { IncomingCall } from './read-request';
import type { ActionSchema } from './schema';
import type { ActionHandler, ServiceSettings } from './types';
import { validateParams } from './validate';

/** A call that reached its handler: the service it is for and the params the handler gets. */
export interface RoutedCall {
  readonly service: string;
  readonly handler: ActionHandler;
  readonly params: Record<string, unknown>;
}

/**
 * Finds what answers a call (NoSuchProduct, NoSuchVersion, InvalidAction otherwise), checks its
 * region against the service's settings and its params against the action's schema.
 */
export async function routeCall(
  call: IncomingCall,
  caller: Caller,
  gateway: Pick<Gateway, 'router' | 'settings' | 'validate'>,
  language: Locale,
  say: Say,
): Promise<RoutedCall> {
  const { service } = caller;
  const route = await gateway.router.resolve(service, call.version, call.action, language);
  if (!('handler' in route)) throw new GatewayRefusal(route.code, route.message);
  if (!service) throw new GatewayRefusal('NoSuchProduct'); // (resolve refuses a call without a service first)
  checkRegion(gateway.settings[service], service, call.region, say);
  // A raw octet-stream body is opaque: its params are not in it, so there is nothing to check.
  const schema = gateway.validate && call.rawBody === undefined ? route.action : undefined;
  const params = schema ? validated(schema, call, language) : call.params;
  return { service, handler: route.handler, params };
}

function checkRegion(settings: ServiceSettings | undefined, service: string, region: string | undefined, say: Say) {
  if (settings?.regionRequired && region === undefined) {
    const message = say('The request is missing a required parameter `Region`.', '缺少必填参数 `Region`。');
    throw new GatewayRefusal('MissingParameter', message);
  }
  if (region !== undefined && settings?.regions && !settings.regions.includes(region)) {
    const message = say(`The region ${region} is not supported by ${service}.`, `${service} 不支持地域 ${region}。`);
    throw new GatewayRefusal('UnsupportedRegion', message);
  }
}

function validated(action: ActionSchema, call: IncomingCall, language: Locale): Record<string, unknown> {
  // Query strings and form bodies carry every value as text: numbers and booleans are accepted as text there.
  const flattened = !(call.method === 'POST' && call.contentType.startsWith('application/json'));
  const checked = validateParams(action, call.params, { flattened, language });
  if (!('params' in checked)) throw new GatewayRefusal(checked.code, checked.message);
  return checked.params;
}
