import { inspect } from 'node:util';
import { UsageError } from '@x/errors';
import type { FaultRule, Faults } from './faults';
import type { Handlers, RecordedRequest, ServiceSettings } from './types';

/** The credentials the emulator accepts by default (print them, put them in tests: they are not secret). */
export const DEFAULT_SECRET_ID = 'AKIDEMULATOR00000000000000000000';
/** The SecretKey of {@link DEFAULT_SECRET_ID} (a test key: it unlocks nothing but emulators). */
export const DEFAULT_SECRET_KEY = 'emulator-secret-key-000000000000';

/** Options of {@link startEmulator}; every one is optional. */
export interface EmulatorOptions {
  /** `127.0.0.1` (default) or `localhost`: the emulator never listens beyond the loopback. */
  readonly host?: '127.0.0.1' | 'localhost';
  /** Default 0: a random free port. */
  readonly port?: number;
  /**
   * SecretId → SecretKey (or `{ secretKey, token }` for keys that need a session token).
   * Default: the DEFAULT_* pair.
   */
  readonly credentials?: Readonly<Record<string, string | { readonly secretKey: string; readonly token?: string }>>;
  /** The emulator's clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Your handlers, merged over (and replacing) the built-in fixtures action by action. */
  readonly handlers?: Handlers;
  /** Gateway settings per service (regions, unsigned actions), merged over the fixtures' field by field. */
  readonly services?: Readonly<Record<string, ServiceSettings>>;
  /** Serve the built-in cvm, sts and hunyuan fixtures. Default true. */
  readonly fixtures?: boolean;
  /** Faults in force from the start; more can be added with `emulator.faults.add`. */
  readonly faults?: readonly FaultRule[];
  /** Seed of the random numbers behind rate-based faults and of synthesized answers. Default 1. */
  readonly seed?: number;
  /**
   * Check every call's params against the action's schema as the gateway does (UnknownParameter,
   * MissingParameter, InvalidParameter). Default true.
   */
  readonly validate?: boolean;
  /**
   * Answer any action of any service @x/services knows that has no fixture or handler with a
   * synthesized, schema-valid result. Default true.
   */
  readonly synthesize?: boolean;
  /** Answer CORS preflights and expose headers to browsers: `true` for any origin, or one origin. */
  readonly cors?: boolean | { readonly origin: string };
  /**
   * How many requests `requests` keeps, the oldest dropped first (a long-running emulator stays
   * small). Default 10 000.
   */
  readonly recordLimit?: number;
}

/** A running emulator: where it listens, what it accepts, what it saw, and its faults. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /**
   * The first configured credentials (the DEFAULT_* pair unless `credentials` was given), ready to
   * pass to a client. The key and token stay out of `JSON.stringify` and `util.inspect` output.
   */
  readonly credentials: EmulatorCredentials;
  /** Every request received, oldest first (Authorization and X-TC-Token redacted). */
  readonly requests: RecordedRequest[];
  readonly faults: Faults;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** A SecretId with its key (and token, for credentials that need one). */
export interface EmulatorCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string;
}

/** Spreads and reads like a plain object; prints and serializes without its secrets. */
export class PrintableCredentials implements EmulatorCredentials {
  declare readonly token?: string;
  constructor(
    readonly secretId: string,
    readonly secretKey: string,
    token: string | undefined,
  ) {
    if (token !== undefined) this.token = token;
  }
  toJSON(): Record<string, string> {
    const token = this.token === undefined ? {} : { token: '[REDACTED]' };
    return { secretId: this.secretId, secretKey: '[REDACTED]', ...token };
  }
  [inspect.custom](): string {
    return `EmulatorCredentials ${inspect(this.toJSON())}`;
  }
}

const bad = (argument: string, message: string): never => {
  throw new UsageError(message, { argument });
};

/** Refuses options that cannot work, naming the option, before anything listens. */
export function validateOptions(options: EmulatorOptions): void {
  if (typeof options !== 'object' || options === null) bad('options', 'must be an object');
  const { host, port, credentials, now, handlers, services, recordLimit } = options;
  if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost') {
    const why = 'the emulator never listens beyond the loopback';
    bad('host', `must be 127.0.0.1 or localhost (${why}), got ${JSON.stringify(host)}`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    bad('port', `must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (credentials !== undefined) validateCredentials(credentials);
  if (now !== undefined && typeof now !== 'function') bad('now', 'must be a function returning ms since the epoch');
  if (handlers !== undefined) validateHandlers(handlers);
  if (services !== undefined && (typeof services !== 'object' || services === null)) {
    bad('services', 'must be { [service]: { regions?, regionRequired?, unsignedActions? } }');
  }
  validateSwitches(options);
  if (recordLimit !== undefined && (!Number.isInteger(recordLimit) || recordLimit < 0)) {
    bad('recordLimit', `must be a non-negative integer, got ${String(recordLimit)}`);
  }
  validateCors(options.cors);
}

function validateCredentials(credentials: NonNullable<EmulatorOptions['credentials']>): void {
  if (typeof credentials !== 'object' || credentials === null) {
    bad('credentials', 'must be an object { [secretId]: secretKey | { secretKey, token? } }');
  }
  const entries = Object.entries(credentials);
  if (entries.length === 0) bad('credentials', 'must accept at least one SecretId');
  for (const [id, value] of entries) {
    if (id === '' || /\s|\//.test(id))
      bad('credentials', `the SecretId ${JSON.stringify(id)} cannot appear in a credential scope`);
    const key = typeof value === 'string' ? value : (value as { secretKey?: unknown } | null)?.secretKey;
    if (typeof key !== 'string' || key === '') bad(`credentials.${id}`, 'needs a non-empty secretKey');
    const token = typeof value === 'string' ? undefined : (value as { token?: unknown }).token;
    if (token !== undefined && (typeof token !== 'string' || token === '')) {
      bad(`credentials.${id}.token`, 'must be a non-empty string');
    }
  }
}

function validateHandlers(handlers: Handlers): void {
  if (typeof handlers !== 'object' || handlers === null) {
    bad('handlers', 'must be { [service]: { [version]: { [action]: handler } } }');
  }
  for (const [service, versions] of Object.entries(handlers)) {
    if (typeof versions !== 'object' || versions === null)
      bad(`handlers.${service}`, 'must map versions (or actions) to handlers');
    for (const [key, value] of Object.entries(versions)) {
      if (typeof value === 'function') continue;
      if (typeof value !== 'object' || value === null) {
        bad(`handlers.${service}.${key}`, 'must be a handler function or { [action]: handler }');
      }
      for (const [action, handler] of Object.entries(value)) {
        if (typeof handler !== 'function') {
          bad(
            `handlers.${service}.${key}.${action}`,
            `must be a function (params, ctx) => result, got ${typeof handler}`,
          );
        }
      }
    }
  }
}

function validateSwitches({ fixtures, validate, synthesize, faults, seed }: EmulatorOptions): void {
  if (fixtures !== undefined && typeof fixtures !== 'boolean') bad('fixtures', 'must be true or false');
  if (validate !== undefined && typeof validate !== 'boolean') bad('validate', 'must be true or false');
  if (synthesize !== undefined && typeof synthesize !== 'boolean') bad('synthesize', 'must be true or false');
  if (faults !== undefined && !Array.isArray(faults)) bad('faults', 'must be an array of fault rules');
  if (seed !== undefined && !Number.isInteger(seed)) bad('seed', `must be an integer, got ${String(seed)}`);
}

function validateCors(cors: EmulatorOptions['cors']): void {
  if (cors === undefined || typeof cors === 'boolean') return;
  if (typeof cors !== 'object' || cors === null || typeof cors.origin !== 'string' || cors.origin === '') {
    bad('cors', 'must be true, false or { origin: string }');
  }
}
