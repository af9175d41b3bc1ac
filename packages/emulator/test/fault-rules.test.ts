import { describe, expect, it } from 'vitest';
import { UsageError } from '@x/errors';
import { FaultSet, seededRandom, validateRule, type Fault, type FaultRule } from '../src/faults';

// Fault rules called directly: which rules are refused (argument and message, as a user reads them),
// which faults fire for which call, how often, and the clock offset in force.

const refusal = (rule: unknown): [string | undefined, string] => {
  try {
    validateRule(rule as FaultRule);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return [(err as UsageError).argument, (err as Error).message.replace(/^[\w.]+: /, '')];
  }
  return [undefined, 'accepted'];
};

describe('validateRule', () => {
  it('refuses malformed rules, naming the field and what it must be', () => {
    const kinds = 'latency, throttle, reset, truncate, gateway-error, clock-offset, error';
    expect(refusal(null)).toEqual([
      'rule',
      'a fault rule must be an object { fault | error, service?, action?, times?, force? }',
    ]);
    expect(refusal('x')[0]).toBe('rule');
    expect(refusal({ error: 'A', fault: { kind: 'latency', ms: 1 } })).toEqual([
      'rule.error',
      'give either fault or error, not both',
    ]);
    expect(refusal({ error: 'no spaces' })).toEqual([
      'rule.error',
      'must be an error code such as ResourceNotFound.Instance, got "no spaces"',
    ]);
    expect(refusal({ error: 5 })).toEqual([
      'rule.error',
      'must be an error code such as ResourceNotFound.Instance, got 5',
    ]);
    expect(refusal({ error: 'A', force: 'yes' })).toEqual(['rule.force', 'must be true or false']);
    expect(refusal({})).toEqual(['rule.fault.kind', `must be one of ${kinds}, got undefined`]);
    expect(refusal({ fault: { kind: 'explode' } })).toEqual([
      'rule.fault.kind',
      `must be one of ${kinds}, got "explode"`,
    ]);
    expect(refusal({ fault: null })[0]).toBe('rule.fault.kind');
    expect(refusal({ fault: 'latency' })[0]).toBe('rule.fault.kind');
    const latency = { fault: { kind: 'latency', ms: 1 } };
    expect(refusal({ ...latency, service: '' })).toEqual(['rule.service', 'must be a non-empty string']);
    expect(refusal({ ...latency, service: 5 })).toEqual(['rule.service', 'must be a non-empty string']);
    expect(refusal({ ...latency, action: '' })).toEqual(['rule.action', 'must be a non-empty string']);
    expect(refusal({ ...latency, action: {} })).toEqual(['rule.action', 'must be a non-empty string']);
    expect(refusal({ ...latency, times: 0 })).toEqual(['rule.times', 'must be a positive integer, got 0']);
    expect(refusal({ ...latency, times: 1.5 })).toEqual(['rule.times', 'must be a positive integer, got 1.5']);
    expect(refusal({ ...latency, times: -1 })).toEqual(['rule.times', 'must be a positive integer, got -1']);
    expect(refusal({ fault: { kind: 'clock-offset', ms: 5 }, times: 2 })).toEqual([
      'rule.times',
      'a clock offset holds until removed; times does not apply to it',
    ]);
    expect(refusal({ ...latency, times: 1, service: 's', action: 'a', force: false })).toEqual([undefined, 'accepted']);
  });

  it('refuses faults whose own fields are out of range', () => {
    expect(refusal({ fault: { kind: 'latency', ms: -1 } })).toEqual([
      'rule.fault.ms',
      'latency must be a non-negative integer of ms, got -1',
    ]);
    expect(refusal({ fault: { kind: 'latency', ms: 0.5 } })[0]).toBe('rule.fault.ms');
    expect(refusal({ fault: { kind: 'latency', ms: '5' } })[0]).toBe('rule.fault.ms');
    expect(refusal({ fault: { kind: 'latency', ms: 0 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'clock-offset', ms: 1.5 } })).toEqual([
      'rule.fault.ms',
      'the clock offset must be an integer of ms, got 1.5',
    ]);
    expect(refusal({ fault: { kind: 'clock-offset', ms: '5' } })[0]).toBe('rule.fault.ms');
    expect(refusal({ fault: { kind: 'clock-offset', ms: -5 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'throttle', rate: 1.5 } })).toEqual([
      'rule.fault.rate',
      'must be between 0 and 1, got 1.5',
    ]);
    expect(refusal({ fault: { kind: 'throttle', rate: -0.1 } })[0]).toBe('rule.fault.rate');
    expect(refusal({ fault: { kind: 'throttle', rate: '0.5' } })[0]).toBe('rule.fault.rate');
    expect(refusal({ fault: { kind: 'throttle', rate: 0 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'throttle', rate: 1 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'throttle', afterCalls: -1 } })).toEqual([
      'rule.fault.afterCalls',
      'must be a non-negative integer, got -1',
    ]);
    expect(refusal({ fault: { kind: 'throttle', afterCalls: 0 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'throttle', code: '' } })).toEqual([
      'rule.fault.code',
      'must be a non-empty error code',
    ]);
    expect(refusal({ fault: { kind: 'throttle', code: 5 } })[0]).toBe('rule.fault.code');
    expect(refusal({ fault: { kind: 'reset', when: 'later' } })).toEqual([
      'rule.fault.when',
      `must be 'before-response' or 'mid-body', got "later"`,
    ]);
    expect(refusal({ fault: { kind: 'reset', when: 'mid-body' } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'reset', when: 'before-response' } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'truncate', bytes: -1 } })).toEqual([
      'rule.fault.bytes',
      'must be a non-negative integer, got -1',
    ]);
    expect(refusal({ fault: { kind: 'truncate', bytes: 0 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'error', code: 'bad code' } })).toEqual([
      'rule.fault.code',
      'must be an error code, got "bad code"',
    ]);
    expect(refusal({ fault: { kind: 'error', code: 'A.B-c_d' } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'error', code: '1A' } })[0]).toBe('rule.fault.code');
    expect(refusal({ fault: { kind: 'error', code: 'A.' } })[0]).toBe('rule.fault.code');
    expect(refusal({ fault: { kind: 'error', code: 'A', message: '' } })).toEqual([
      'rule.fault.message',
      'must be a non-empty string',
    ]);
    expect(refusal({ fault: { kind: 'error', code: 'A', message: 5 } })[0]).toBe('rule.fault.message');
    expect(refusal({ fault: { kind: 'gateway-error', status: 399 } })).toEqual([
      'rule.fault.status',
      'must be an HTTP error status (400-599), got 399',
    ]);
    expect(refusal({ fault: { kind: 'gateway-error', status: 600 } })[0]).toBe('rule.fault.status');
    expect(refusal({ fault: { kind: 'gateway-error', status: 502.5 } })[0]).toBe('rule.fault.status');
    expect(refusal({ fault: { kind: 'gateway-error', status: 400 } })).toEqual([undefined, 'accepted']);
    expect(refusal({ fault: { kind: 'gateway-error', status: 599 } })).toEqual([undefined, 'accepted']);
    expect(validateRule({ error: 'LimitExceeded' })).toEqual({ kind: 'error', code: 'LimitExceeded' });
  });
});

describe('FaultSet', () => {
  const latency: Fault = { kind: 'latency', ms: 1 };

  it('fires the rules that match a call, in order, each `times` times', () => {
    const set = new FaultSet(() => 0.5);
    const a: Fault = { kind: 'latency', ms: 2 };
    set.add({ fault: latency, service: 'cvm' });
    set.add({ fault: a, action: 'Run', times: 2 });
    set.add({ fault: { kind: 'clock-offset', ms: 10 } });
    expect(set.fire('cvm', 'Run')).toEqual([latency, a]);
    expect(set.fire('cbs', 'Describe')).toEqual([]);
    expect(set.fire('cbs', 'Run')).toEqual([a]);
    expect(set.fire('cvm', 'Run')).toEqual([latency]);
    expect(set.fire(undefined, undefined)).toEqual([]);
  });

  it('throttles after `afterCalls` matching calls, at a rate, or always', () => {
    const set = new FaultSet(seededRandom(1));
    set.add({ fault: { kind: 'throttle', afterCalls: 2 }, action: 'A' });
    const fired = [1, 2, 3, 4].map(() => set.fire('s', 'A').length);
    expect(fired).toEqual([0, 0, 1, 1]);
    const zero = new FaultSet(() => 0.999);
    zero.add({ fault: { kind: 'throttle', afterCalls: 0 } });
    expect(zero.fire('s', 'A')).toHaveLength(1);
    const always = new FaultSet(() => 0.999);
    always.add({ fault: { kind: 'throttle' }, times: 1 });
    expect([always.fire('s', 'A').length, always.fire('s', 'A').length]).toEqual([1, 0]);
    const rated = new FaultSet(() => 0.3);
    rated.add({ fault: { kind: 'throttle', rate: 0.3 } });
    expect(rated.fire('s', 'A')).toEqual([]);
    const under = new FaultSet(() => 0.29);
    under.add({ fault: { kind: 'throttle', rate: 0.3 }, times: 1 });
    expect([under.fire('s', 'A').length, under.fire('s', 'A').length]).toEqual([1, 0]);
    // A throttle that did not fire does not use up its `times`.
    let roll = 0.9;
    const later = new FaultSet(() => roll);
    later.add({ fault: { kind: 'throttle', rate: 0.5 }, times: 1 });
    expect(later.fire('s', 'A')).toEqual([]);
    roll = 0.1;
    expect(later.fire('s', 'A')).toHaveLength(1);
    // Either condition is enough.
    const both = new FaultSet(() => 0.1);
    both.add({ fault: { kind: 'throttle', rate: 0.5, afterCalls: 5 } });
    expect(both.fire('s', 'A')).toHaveLength(1);
  });

  it('sums the clock offsets that match a call; before the call is known, only unscoped ones', () => {
    const set = new FaultSet(Math.random);
    set.add({ fault: { kind: 'clock-offset', ms: 1000 } });
    set.add({ fault: { kind: 'clock-offset', ms: 200 }, service: 'cvm' });
    set.add({ fault: { kind: 'clock-offset', ms: 30 }, service: 'cvm', action: 'Run' });
    set.add({ fault: latency });
    expect(set.clockOffset()).toBe(1000);
    expect(set.clockOffset('cvm')).toBe(1200);
    expect(set.clockOffset('cvm', 'Run')).toBe(1230);
    expect(set.clockOffset('cbs', 'Run')).toBe(1000);
  });

  it('add returns a remover of that rule only; set replaces all or nothing; clear and list', () => {
    const checked: string[] = [];
    const set = new FaultSet(Math.random, (rule, fault) => {
      checked.push(fault.code);
      if (fault.code === 'Bad') throw new UsageError('undocumented', { argument: 'rule.error' });
    });
    const first = { fault: latency };
    const second = { fault: latency, action: 'B' };
    const removeFirst = set.add(first);
    set.add(second);
    removeFirst();
    expect(set.list()).toEqual([second]);
    expect(() => set.add({ error: 'Bad' })).toThrow(UsageError);
    set.add({ error: 'Bad', force: true });
    expect(checked).toEqual(['Bad']);
    expect(() => set.set([{ error: 'Good' }, { error: 'Bad' }])).toThrow(UsageError);
    expect(set.list()).toHaveLength(2);
    set.set(first);
    expect(set.list()).toEqual([first]);
    set.set([]);
    expect(set.list()).toEqual([]);
    set.set([first, second]);
    set.clear();
    expect(set.list()).toEqual([]);
    expect(new FaultSet(Math.random).add({ error: 'Anything' })).toBeTypeOf('function');
  });

  it('seededRandom repeats for a seed, differs between seeds, and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(50);
    expect(seededRandom(1)()).toBe(0.6270739405881613);
    expect(seededRandom(2 ** 32 + 1)()).toBe(seededRandom(1)());
  });
});
