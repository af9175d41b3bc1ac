import { UsageError } from '@x/errors';

/** A misbehaviour the emulator can be told to show. */
export type Fault =
  /** Wait before answering. */
  | { readonly kind: 'latency'; readonly ms: number }
  /**
   * Answer `RequestLimitExceeded` (or `code`): on a share of calls (`rate`, 0..1), or on every
   * call after the first `afterCalls`.
   */
  | { readonly kind: 'throttle'; readonly rate?: number; readonly afterCalls?: number; readonly code?: string }
  /** Drop the connection: before any response, or after half the body was sent. */
  | { readonly kind: 'reset'; readonly when: 'before-response' | 'mid-body' }
  /**
   * Send only the first `bytes` of the body (default: half; for a stream, half of its second
   * event) and end the response cleanly.
   */
  | { readonly kind: 'truncate'; readonly bytes?: number }
  /** Answer as a broken gateway: an HTML page with this status (default 502). */
  | { readonly kind: 'gateway-error'; readonly status?: number }
  /** Shift the emulator's clock (signatures are judged, and Date headers written, by it). `times` does not apply. */
  | { readonly kind: 'clock-offset'; readonly ms: number }
  /**
   * Answer this error code (after the params were validated), with its catalog text in the
   * request's language unless `message` is given.
   */
  | { readonly kind: 'error'; readonly code: string; readonly message?: string };

/** Where a fault applies and how often. */
export interface FaultRule {
  /** The misbehaviour; give either this or `error`. */
  readonly fault?: Fault;
  /**
   * Shorthand for `fault: { kind: 'error', code }`: answer this documented error code. A code the
   * action (or, without `action`, the service) does not document, and that is not a common code,
   * is refused with a UsageError unless `force` is true.
   */
  readonly error?: string;
  /** Accept an `error` code the schema does not document for the action. */
  readonly force?: boolean;
  /** Only this service (default: all). */
  readonly service?: string;
  /** Only this action (default: all). */
  readonly action?: string;
  /** Apply to this many matching calls, then stop (default: every call). */
  readonly times?: number;
}

/** The fault rules of a running emulator, changeable at any time. */
export interface Faults {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  /** Replaces every rule with these (none: no fault). */
  set(rules: FaultRule | readonly FaultRule[]): void;
  /** Removes every rule. */
  clear(): void;
  /** The rules in force. */
  list(): readonly FaultRule[];
}

interface LiveRule {
  readonly rule: FaultRule;
  readonly fault: Fault;
  used: number;
  matched: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so rate-based faults repeat run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault rules of one emulator. */
export class FaultSet implements Faults {
  private rules: LiveRule[] = [];
  /** `check`: refuses an error code the schemas do not document for the rule's action (throws a UsageError). */
  constructor(
    private readonly random: () => number,
    private readonly check: (rule: FaultRule, fault: Extract<Fault, { kind: 'error' }>) => void = () => {},
  ) {}

  private accept(rule: FaultRule): Fault {
    const fault = validateRule(rule);
    if (fault.kind === 'error' && rule.force !== true) this.check(rule, fault);
    return fault;
  }

  add(rule: FaultRule): () => void {
    const live = { rule, fault: this.accept(rule), used: 0, matched: 0 };
    this.rules.push(live);
    return () => {
      this.rules = this.rules.filter((r) => r !== live);
    };
  }

  set(rules: FaultRule | readonly FaultRule[]): void {
    const list: readonly FaultRule[] = Array.isArray(rules) ? rules : [rules as FaultRule];
    const faults = list.map((rule) => this.accept(rule)); // all or nothing: a bad rule leaves the old set in force
    this.rules = list.map((rule, i) => ({ rule, fault: faults[i]!, used: 0, matched: 0 }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /**
   * The clock offset in force for a call: the sum of the clock-offset rules that match it. Before
   * the service or action is known, only the rules that do not name one apply.
   */
  clockOffset(service?: string, action?: string): number {
    let sum = 0;
    for (const { rule, fault } of this.rules) {
      if (fault.kind !== 'clock-offset') continue;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      sum += fault.ms;
    }
    return sum;
  }

  /** The faults that fire for this call, in rule order; counts uses. */
  fire(service: string | undefined, action: string | undefined): Fault[] {
    const out: Fault[] = [];
    for (const live of this.rules) {
      const { rule, fault } = live;
      if (fault.kind === 'clock-offset') continue;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      if (rule.times !== undefined && live.used >= rule.times) continue;
      live.matched++;
      if (fault.kind === 'throttle') {
        const { rate, afterCalls } = fault;
        const byCount = afterCalls !== undefined && live.matched > afterCalls;
        const byRate = rate !== undefined && this.random() < rate;
        if (!byCount && !byRate && !(rate === undefined && afterCalls === undefined)) continue;
      }
      live.used++;
      out.push(fault);
    }
    return out;
  }
}

const KINDS = new Set(['latency', 'throttle', 'reset', 'truncate', 'gateway-error', 'clock-offset', 'error']);
const ERROR_CODE = /^[A-Za-z][\w-]*(?:\.[\w-]+)*$/;

const nonNegativeInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

const bad = (argument: string, message: string): never => {
  throw new UsageError(message, { argument });
};

/**
 * Refuses a rule that could only misbehave in a way nobody asked for, naming the bad field;
 * returns its fault (`error` expanded).
 */
export function validateRule(rule: FaultRule): Fault {
  if (typeof rule !== 'object' || rule === null) {
    bad('rule', 'a fault rule must be an object { fault | error, service?, action?, times?, force? }');
  }
  if (rule.error !== undefined) {
    if (rule.fault !== undefined) bad('rule.error', 'give either fault or error, not both');
    if (typeof rule.error !== 'string' || !ERROR_CODE.test(rule.error)) {
      bad('rule.error', `must be an error code such as ResourceNotFound.Instance, got ${JSON.stringify(rule.error)}`);
    }
  }
  if (rule.force !== undefined && typeof rule.force !== 'boolean') bad('rule.force', 'must be true or false');
  const fault = (rule.error !== undefined ? { kind: 'error', code: rule.error } : rule.fault) as Fault | undefined;
  if (typeof fault !== 'object' || fault === null || !KINDS.has(fault.kind)) {
    const kind = JSON.stringify((fault as { kind?: unknown } | undefined)?.kind);
    return bad('rule.fault.kind', `must be one of ${[...KINDS].join(', ')}, got ${kind}`);
  }
  if (rule.service !== undefined && (typeof rule.service !== 'string' || rule.service === '')) {
    bad('rule.service', 'must be a non-empty string');
  }
  if (rule.action !== undefined && (typeof rule.action !== 'string' || rule.action === '')) {
    bad('rule.action', 'must be a non-empty string');
  }
  if (rule.times !== undefined) {
    if (fault.kind === 'clock-offset')
      bad('rule.times', 'a clock offset holds until removed; times does not apply to it');
    if (!nonNegativeInteger(rule.times) || rule.times === 0) {
      bad('rule.times', `must be a positive integer, got ${String(rule.times)}`);
    }
  }
  checkFault(fault);
  return fault;
}

/** Refuses a fault whose own fields are out of range, naming the field. */
function checkFault(f: Fault): void {
  const check = (ok: boolean, field: string, message: string) => ok || bad(`rule.fault.${field}`, message);
  switch (f.kind) {
    case 'latency':
      check(nonNegativeInteger(f.ms), 'ms', `latency must be a non-negative integer of ms, got ${String(f.ms)}`);
      break;
    case 'clock-offset':
      check(
        typeof f.ms === 'number' && Number.isInteger(f.ms),
        'ms',
        `the clock offset must be an integer of ms, got ${String(f.ms)}`,
      );
      break;
    case 'throttle': {
      const { rate, afterCalls, code } = f;
      const rateOk = rate === undefined || (typeof rate === 'number' && rate >= 0 && rate <= 1);
      check(rateOk, 'rate', `must be between 0 and 1, got ${String(rate)}`);
      const afterOk = afterCalls === undefined || nonNegativeInteger(afterCalls);
      check(afterOk, 'afterCalls', `must be a non-negative integer, got ${String(afterCalls)}`);
      check(code === undefined || (typeof code === 'string' && code !== ''), 'code', 'must be a non-empty error code');
      break;
    }
    case 'reset': {
      const { when } = f;
      const ok = when === 'before-response' || when === 'mid-body';
      check(ok, 'when', `must be 'before-response' or 'mid-body', got ${JSON.stringify(when)}`);
      break;
    }
    case 'truncate':
      check(
        f.bytes === undefined || nonNegativeInteger(f.bytes),
        'bytes',
        `must be a non-negative integer, got ${String(f.bytes)}`,
      );
      break;
    case 'error':
      check(
        typeof f.code === 'string' && ERROR_CODE.test(f.code),
        'code',
        `must be an error code, got ${JSON.stringify(f.code)}`,
      );
      check(
        f.message === undefined || (typeof f.message === 'string' && f.message !== ''),
        'message',
        'must be a non-empty string',
      );
      break;
    case 'gateway-error': {
      const { status } = f;
      const ok = status === undefined || (Number.isInteger(status) && status >= 400 && status <= 599);
      check(ok, 'status', `must be an HTTP error status (400-599), got ${String(status)}`);
      break;
    }
  }
}
