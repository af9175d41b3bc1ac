import type { IncomingMessage } from 'node:http';
import type { Locale } from '@x/errors';
import type { KnownSecret } from './auth';
import type { FaultSet } from './faults';
import type { Router } from './routing';
import type { SchemaStore } from './schema';
import type { IssuedCredentials, RecordedRequest, ServiceSettings } from './types';

// The request path, one file per step: read-request (body, params, names) -> authenticate
// (v1, SKIP, TC3) -> route-call (handler, region, params) -> play-faults -> call-handler -> reply.
// handle.ts composes them; this file holds what every step shares.

/** What the request path reads from one running emulator (built once by `createGateway`). */
export interface Gateway {
  /** SecretId -> its key (and token and expiry, for temporary credentials). */
  readonly secrets: Map<string, KnownSecret>;
  readonly settings: Readonly<Record<string, ServiceSettings>>;
  readonly router: Router;
  readonly schemas: SchemaStore;
  readonly faults: FaultSet;
  /** Every request received, oldest first, at most `recordLimit` of them. */
  readonly requests: RecordedRequest[];
  readonly recordLimit: number;
  readonly cors: { readonly origin: string } | undefined;
  /** Whether params are checked against the action's schema. */
  readonly validate: boolean;
  /** The emulator clock for a call to `service`/`action` (clock-offset faults scoped to them included). */
  now(service?: string, action?: string): number;
  issueCredentials(options: { readonly expiresAt: number; readonly principal?: string }): IssuedCredentials;
}

/** A RecordedRequest while the request goes through the gateway: each step fills in what it learnt. */
export type RequestRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** Picks the message in the caller's language, as the gateway answers in English or Simplified Chinese. */
export type Say = (en: string, zh: string) => string;

/** The {@link Say} of a locale. */
export function sayIn(language: Locale): Say {
  return (en, zh) => (language === 'zh-CN' ? zh : en);
}

/** The language a request asks for with `X-TC-Language` (en-US unless it names zh-CN). */
export function languageOf(req: IncomingMessage): Locale {
  return String(req.headers['x-tc-language'] ?? '').toLowerCase() === 'zh-cn' ? 'zh-CN' : 'en-US';
}

/** A header's value, the first one when it was sent twice. */
export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A request the gateway refuses: answered as an error envelope with this code and message (no
 * message: the catalog's text of the code), with `headers` added to the answer.
 */
export class GatewayRefusal {
  constructor(
    readonly code: string,
    readonly message?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/** Request size limits of the API: `json` holds for every POST body but a form (multipart and raw bytes too). */
export const LIMITS = { json: 10 * 1024 * 1024, form: 1024 * 1024, get: 32 * 1024 };
