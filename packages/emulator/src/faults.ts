/** A misbehaviour the emulator can be told to show. */
export type Fault =
  /** Wait before answering. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Answer `RequestLimitExceeded` (or `code`): on a share of calls (`rate`, 0..1), or on every call after the first `afterCalls`. */
  | { readonly kind: 'throttle'; readonly rate?: number; readonly afterCalls?: number; readonly code?: string }
  /** Drop the connection: before any response, or after half the body was sent. */
  | { readonly kind: 'reset'; readonly when: 'before-response' | 'mid-body' }
  /** Send only the first `bytes` of the body (default: half) and end the response cleanly. */
  | { readonly kind: 'truncate'; readonly bytes?: number }
  /** Answer as a broken gateway: an HTML page with this status (default 502). */
  | { readonly kind: 'gateway-error'; readonly status?: number }
  /** Shift the emulator's clock (signatures are judged, and Date headers written, by it). */
  | { readonly kind: 'clock-offset'; readonly ms: number };

/** Where a fault applies and how often. */
export interface FaultRule {
  readonly fault: Fault;
  /** Only this service (default: all). */
  readonly service?: string;
  /** Only this action (default: all). */
  readonly action?: string;
  /** Apply to this many matching calls, then stop (default: every call). */
  readonly times?: number;
}

export interface Faults {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
  /** The rules in force. */
  list(): readonly FaultRule[];
}

interface LiveRule {
  readonly rule: FaultRule;
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
  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): () => void {
    const live = { rule, used: 0, matched: 0 };
    this.rules.push(live);
    return () => {
      this.rules = this.rules.filter((r) => r !== live);
    };
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The global clock offset in force (the sum of unscoped clock-offset rules). */
  clockOffset(): number {
    return this.rules.reduce((sum, r) => (r.rule.fault.kind === 'clock-offset' && !r.rule.service && !r.rule.action ? sum + r.rule.fault.ms : sum), 0);
  }

  /** The faults that fire for this call, in rule order; counts uses. */
  fire(service: string | undefined, action: string | undefined): Fault[] {
    const out: Fault[] = [];
    for (const live of this.rules) {
      const { rule } = live;
      if (rule.fault.kind === 'clock-offset') continue;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      if (rule.times !== undefined && live.used >= rule.times) continue;
      live.matched++;
      if (rule.fault.kind === 'throttle') {
        const { rate, afterCalls } = rule.fault;
        const byCount = afterCalls !== undefined && live.matched > afterCalls;
        const byRate = rate !== undefined && this.random() < rate;
        if (!byCount && !byRate && !(rate === undefined && afterCalls === undefined)) continue;
      }
      live.used++;
      out.push(rule.fault);
    }
    return out;
  }
}
