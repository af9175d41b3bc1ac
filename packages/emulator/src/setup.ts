import { randomUUID } from 'node:crypto';
import type { KnownSecret } from './auth';
import { FaultSet, seededRandom } from './faults';
import { cvmHandlers, cvmSettings, seedInstances } from './fixtures/cvm';
import { hunyuanHandlers } from './fixtures/hunyuan';
import { stsHandlers, stsSettings } from './fixtures/sts';
import type { Gateway } from './gateway';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, PrintableCredentials, type EmulatorOptions } from './options';
import { ANY_VERSION, checkErrorRule, createRouter } from './routing';
import { SchemaStore } from './schema';
import type { ActionHandler, Handlers, IssuedCredentials, ServiceSettings } from './types';

/** service → version → action; the version '*' holds the actions a service answers in any version. */
type HandlerTable = Record<string, Record<string, Record<string, ActionHandler>>>;

/** Everything one emulator holds, built from (validated) options; the first credentials to hand out. */
export function createGateway(options: EmulatorOptions): { gateway: Gateway; credentials: PrintableCredentials } {
  const baseNow = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const schemas = new SchemaStore();
  const faults = new FaultSet(seededRandom(seed), (rule, fault) => checkErrorRule(schemas, rule, fault));
  faults.set(options.faults ?? []);
  const secrets = knownSecrets(options);
  const [firstId, first] = [...secrets][0]!;
  const principals = new Map<string, string>();
  const handlers: HandlerTable = options.fixtures === false ? {} : builtInHandlers(principals);
  const settings: Record<string, ServiceSettings> = options.fixtures === false ? {} : builtInSettings();
  mergeHandlers(handlers, options.handlers ?? {});
  for (const [service, own] of Object.entries(options.services ?? {}))
    settings[service] = { ...settings[service], ...own };
  const gateway: Gateway = {
    secrets,
    settings,
    router: createRouter(handlers, schemas, { seed, synthesize: options.synthesize !== false }),
    schemas,
    faults,
    requests: [],
    recordLimit: options.recordLimit ?? 10_000,
    cors: options.cors === true ? { origin: '*' } : options.cors || undefined,
    validate: options.validate !== false,
    now: (service, action) => baseNow() + faults.clockOffset(service, action),
    issueCredentials: (issue) => issueCredentials(secrets, principals, issue),
  };
  return { gateway, credentials: new PrintableCredentials(firstId, first.secretKey, first.token) };
}

function knownSecrets(options: EmulatorOptions): Map<string, KnownSecret> {
  const secrets = new Map<string, KnownSecret>();
  for (const [id, value] of Object.entries(options.credentials ?? { [DEFAULT_SECRET_ID]: DEFAULT_SECRET_KEY })) {
    secrets.set(
      id,
      typeof value === 'string' ? { secretKey: value } : { secretKey: value.secretKey, token: value.token },
    );
  }
  return secrets;
}

function builtInHandlers(principals: Map<string, string>): HandlerTable {
  return {
    cvm: { '2017-03-12': cvmHandlers(seedInstances()) },
    sts: { '2018-08-13': stsHandlers(principals) },
    hunyuan: { '2023-09-01': hunyuanHandlers() },
  };
}

function builtInSettings(): Record<string, ServiceSettings> {
  return { cvm: cvmSettings, sts: stsSettings };
}

/** The user's handlers over the built-in ones, action by action. */
function mergeHandlers(handlers: HandlerTable, own: Handlers): void {
  for (const [service, versions] of Object.entries(own)) {
    const byVersion = (handlers[service] ??= {});
    // A user's handler for every version replaces the built-in fixture of each version too;
    // the user's own version-level handlers (merged next) still win over it.
    for (const [action, value] of Object.entries(versions)) {
      if (typeof value !== 'function') continue;
      byVersion[ANY_VERSION] = { ...byVersion[ANY_VERSION], [action]: value };
      for (const [version, actions] of Object.entries(byVersion)) {
        if (version === ANY_VERSION || !(action in actions)) continue;
        byVersion[version] = Object.fromEntries(Object.entries(actions).filter(([name]) => name !== action));
      }
    }
    for (const [version, value] of Object.entries(versions)) {
      if (typeof value !== 'function') byVersion[version] = { ...byVersion[version], ...value };
    }
  }
}

/** Mints temporary credentials the emulator then accepts until they expire. */
function issueCredentials(
  secrets: Map<string, KnownSecret>,
  principals: Map<string, string>,
  issue: { readonly expiresAt: number; readonly principal?: string },
): IssuedCredentials {
  const TmpSecretId = `AKIDTMP${randomUUID().replace(/-/g, '').slice(0, 25)}`;
  const TmpSecretKey = randomUUID().replace(/-/g, '');
  const Token = `emulator-token-${randomUUID()}`;
  secrets.set(TmpSecretId, { secretKey: TmpSecretKey, token: Token, expiresAt: issue.expiresAt });
  if (issue.principal) principals.set(TmpSecretId, issue.principal);
  return { TmpSecretId, TmpSecretKey, Token };
}
