import { describeError, UsageError, type Locale } from '@x/errors';
import { serviceVersions } from '@x/services';
import type { Fault, FaultRule } from './faults';
import { actionOf, knownVersions, type ActionSchema, type SchemaStore } from './schema';
import { synthesizedHandler } from './synthesize';
import type { ActionHandler } from './types';

/** The version key of handlers that answer an action in every version. */
export const ANY_VERSION = '*';

/**
 * What answers a call: a handler, and the action's schema when @x/services knows it (then the
 * params are validated).
 */
export interface Route {
  readonly handler: ActionHandler;
  readonly action: ActionSchema | undefined;
}

/** A call the gateway refuses before any handler: NoSuchProduct, NoSuchVersion or InvalidAction. */
export interface RouteRefusal {
  readonly code: 'NoSuchProduct' | 'NoSuchVersion' | 'InvalidAction';
  readonly message: string;
}

/** An own property only: an action named `constructor` or `__proto__` is not a handler. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export interface Router {
  resolve(
    service: string | undefined,
    version: string,
    action: string,
    language: Locale,
  ): Promise<Route | RouteRefusal>;
}

/**
 * Finds what answers a call: a fixture or user handler first, else (`synthesize`) a synthesized
 * answer for any action @x/services knows. Unknown services keep their NoSuchProduct; a known
 * service with an unknown version answers NoSuchVersion, an unknown action InvalidAction.
 */
export function createRouter(
  handlers: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, ActionHandler>>>>>>,
  store: SchemaStore,
  options: { readonly seed: number; readonly synthesize: boolean },
): Router {
  const synthesized = new Map<string, ActionHandler>();
  return {
    async resolve(service, version, action, language) {
      const t = (en: string, zh: string) => (language === 'zh-CN' ? zh : en);
      const noVersion = (): RouteRefusal => ({
        code: 'NoSuchVersion',
        message: t(
          `The API version ${version} of ${service} does not exist.`,
          `${service} 的 API 版本 ${version} 不存在。`,
        ),
      });
      const noAction = (): RouteRefusal => ({
        code: 'InvalidAction',
        message: t(
          `The action ${action} of ${service} ${version} does not exist.`,
          `${service} ${version} 的接口 ${action} 不存在。`,
        ),
      });
      const versions = service ? own(handlers, service) : undefined;
      const actions = versions && own(versions, version);
      const anyVersion = versions && own(versions, ANY_VERSION);
      const handler = (actions && own(actions, action)) ?? (anyVersion && own(anyVersion, action));
      // Without synthesis, a service is served only through its handlers, as before.
      const known = service && (options.synthesize || versions) ? knownVersions(service) : undefined;
      if (!service || (!versions && !known)) {
        return {
          code: 'NoSuchProduct',
          message: t(`The product ${service ?? '(none)'} does not exist.`, `产品 ${service ?? '(空)'} 不存在。`),
        };
      }
      const schema = known?.has(version) ? await store.load(service, version) : undefined;
      const described = schema && actionOf(schema, action);
      if (handler) return { handler, action: described };
      if (!schema) return actions || anyVersion ? noAction() : noVersion();
      if (!described || !options.synthesize) return noAction();
      const key = `${service}@${version}/${action}`;
      let synth = synthesized.get(key);
      if (!synth) synthesized.set(key, (synth = synthesizedHandler(described, options.seed)));
      return { handler: synth, action: described };
    },
  };
}

const isCommon = (code: string) => describeError(code)?.exact === true;

/**
 * Refuses (UsageError) an error fault whose code the targeted action (or service) does not
 * document and that no action may answer anyway (the common codes). Rules without a service check
 * every service-version that has the action; rules for services @x/services does not know pass.
 */
export function checkErrorRule(store: SchemaStore, rule: FaultRule, fault: Extract<Fault, { kind: 'error' }>): void {
  const { code } = fault;
  if (isCommon(code)) return;
  const targets =
    rule.service !== undefined ? serviceVersions.filter((v) => v.service === rule.service) : serviceVersions;
  if (rule.service !== undefined && targets.length === 0) return;
  let actionSeen = false;
  for (const { service, version } of targets) {
    const schema = store.loadSync(service, version, rule.service === undefined);
    if (!schema) continue;
    if (rule.action === undefined) {
      if (schema.codes.includes(code)) return;
      continue;
    }
    const action = actionOf(schema, rule.action);
    if (!action) continue;
    actionSeen = true;
    if (action.errors.includes(code)) return;
  }
  const where = `${rule.service ?? 'any service'}${rule.action === undefined ? '' : ` ${rule.action}`}`;
  const why =
    rule.action !== undefined && !actionSeen
      ? `no action ${rule.action} exists in ${rule.service ?? 'any service'}`
      : `${code} is not a documented error code of ${where}`;
  throw new UsageError(`${why}; set force: true to inject it anyway`, { argument: 'rule.error' });
}

/** The message of an injected error: the fault's own, else the service catalog's text in the request's language. */
export async function errorFaultMessage(
  store: SchemaStore,
  service: string,
  version: string,
  fault: Extract<Fault, { kind: 'error' }>,
  locale: Locale,
): Promise<string | undefined> {
  if (fault.message !== undefined) return fault.message;
  const catalog = await store.catalog(service, version);
  return describeError(fault.code, { catalogs: catalog ? [catalog] : [], locale })?.text;
}
