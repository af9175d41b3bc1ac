// How an attempt asks its credentials source: plain credentials as they are, a provider inside the
// attempt (its signal handed over, its failure named, the attempt's abort winning), and the check
// that what came back can sign.
import { ApiError, CredentialsError, UsageError, type CallContext } from '@x/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { checkedCredentials, credentialsOf } from '../src/credentials-source';
import { Attempt } from '../src/deadline';
import type { CredentialsRequest } from '../src/options';

const context: CallContext = { service: 'cvm', version: '2017-03-12', action: 'DescribeZones', region: 'ap-guangzhou' };
const creds = { secretId: 'AKIDexample', secretKey: 'secret-key' };

const attempts: Attempt[] = [];
function attempt(): Attempt {
  const made = new Attempt({ attemptMs: 60_000, totalMs: 60_000, context, signal: undefined }, Date.now() + 60_000);
  attempts.push(made);
  return made;
}
afterEach(() => {
  for (const made of attempts.splice(0)) made.end();
});

async function rejection(value: unknown): Promise<unknown> {
  try {
    await value;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('credentialsOf', () => {
  it('no source: a UsageError naming credentials and the way out', () => {
    const err = (() => {
      try {
        credentialsOf(undefined, attempt(), context);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).argument).toBe('credentials');
    expect((err as UsageError).message).toBe('credentials: are required to sign requests (or call with auth: "skip")');
  });

  it('plain credentials come back as they are, not as a promise', () => {
    expect(credentialsOf(creds, attempt(), context)).toBe(creds);
  });

  it('a provider is asked with a request whose signal is the attempt’s', async () => {
    const made = attempt();
    let seen: CredentialsRequest | undefined;
    const found = await credentialsOf(
      (request) => {
        seen = request;
        return Promise.resolve(creds);
      },
      made,
      context,
    );
    expect(found).toBe(creds);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.signal).toBe(made.signal);
    expect(seen?.signal?.aborted).toBe(false);
    made.abort(new Error('stop'));
    expect(seen?.signal?.aborted).toBe(true);
  });

  it('a provider may answer synchronously', async () => {
    const sync = (() => creds) as unknown as () => Promise<typeof creds>;
    await expect(credentialsOf(sync, attempt(), context)).resolves.toBe(creds);
  });

  it('an attempt already aborted does not ask the provider', async () => {
    const made = attempt();
    const reason = new Error('already over');
    made.abort(reason);
    let asked = 0;
    const provider = () => {
      asked++;
      return Promise.resolve(creds);
    };
    expect(await rejection(credentialsOf(provider, made, context))).toBe(reason);
    expect(asked).toBe(0);
  });

  it('an abort while the provider hangs rejects with the reason', async () => {
    const made = attempt();
    const reason = new Error('timed out');
    const pending = credentialsOf(() => new Promise<never>(() => {}), made, context);
    made.abort(reason);
    expect(await rejection(pending)).toBe(reason);
  });

  it('a provider failing after the abort: the abort reason, unwrapped, stays', async () => {
    const made = attempt();
    const reason = new Error('aborted first');
    let fail: (err: unknown) => void = () => {};
    const pending = credentialsOf(
      () =>
        new Promise<never>((_, reject) => {
          fail = reject;
        }),
      made,
      context,
    );
    made.abort(reason);
    fail(new Error('late'));
    expect(await rejection(pending)).toBe(reason);
  });

  it('a provider that rejects with an Error: a CredentialsError naming it, with context and cause', async () => {
    const cause = new Error('disk on fire');
    const err = await rejection(
      credentialsOf(
        function profileProvider() {
          return Promise.reject(cause);
        },
        attempt(),
        context,
      ),
    );
    expect(err).toBeInstanceOf(CredentialsError);
    const e = err as CredentialsError;
    expect(e.message).toBe(
      'The credentials provider profileProvider failed: disk on fire\n  - profileProvider: disk on fire',
    );
    expect(e.tried).toEqual([{ provider: 'profileProvider', reason: 'disk on fire' }]);
    expect(e.cause).toBe(cause);
    expect(e.service).toBe('cvm');
    expect(e.action).toBe('DescribeZones');
    expect(e.region).toBe('ap-guangzhou');
  });

  it('an anonymous provider rejecting with a string, or with nothing useful', async () => {
    const anonymous = [() => Promise.reject('no profile')][0]!;
    expect(anonymous.name).toBe('');
    const e1 = (await rejection(credentialsOf(anonymous, attempt(), context))) as CredentialsError;
    expect(e1).toBeInstanceOf(CredentialsError);
    expect(e1.tried).toEqual([{ provider: 'credentials provider', reason: 'no profile' }]);
    expect(e1.message).toContain('The credentials provider credentials provider failed: no profile');
    const odd = [() => Promise.reject(42)][0]!;
    const e2 = (await rejection(credentialsOf(odd, attempt(), context))) as CredentialsError;
    expect(e2.tried).toEqual([{ provider: 'credentials provider', reason: 'it rejected without an Error' }]);
    expect(e2.cause).toBe(42);
  });

  it('a provider that throws synchronously fails the same way', async () => {
    const err = await rejection(
      credentialsOf(
        function throwing() {
          throw new Error('sync boom');
        },
        attempt(),
        context,
      ),
    );
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as CredentialsError).tried).toEqual([{ provider: 'throwing', reason: 'sync boom' }]);
  });

  it('an @x error from the provider passes through unwrapped', async () => {
    const api = new ApiError({ code: 'InternalError', serverMessage: 'sts down', requestId: 'sts-1' });
    expect(await rejection(credentialsOf(() => Promise.reject(api), attempt(), context))).toBe(api);
    const own = new CredentialsError({ detail: 'no source found' });
    const thrown = () => {
      throw own;
    };
    expect(await rejection(credentialsOf(thrown, attempt(), context))).toBe(own);
  });
});

describe('checkedCredentials', () => {
  const message = 'credentials: must have a non-empty secretId and secretKey';
  it.each([
    ['null', null],
    ['a string', 'AKID:secret'],
    ['an array', ['AKIDexample', 'secret-key']],
    ['no secretId', { secretKey: 'k' }],
    ['a numeric secretId', { secretId: 1, secretKey: 'k' }],
    ['an empty secretId', { secretId: '', secretKey: 'k' }],
    ['no secretKey', { secretId: 'AKID' }],
    ['a numeric secretKey', { secretId: 'AKID', secretKey: 2 }],
    ['an empty secretKey', { secretId: 'AKID', secretKey: '' }],
  ])('refuses %s', (_name, value) => {
    let err: unknown;
    try {
      checkedCredentials(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(message);
    expect((err as UsageError).argument).toBe('credentials');
  });

  it('accepts a pair (with or without a token) as it is', () => {
    expect(checkedCredentials(creds)).toBe(creds);
    const temporary = { ...creds, token: 'tok' };
    expect(checkedCredentials(temporary)).toBe(temporary);
  });
});
