// What the m-* tests that script their sender share: a cvm transport pointed nowhere (the sender
// answers), which never sleeps between attempts and always draws half of the backoff.
import { NetworkError } from '@x/errors';
import { createTransport, type Sender, type Transport, type TransportOptions } from '../src/index.node';

export const scriptedCredentials = { secretId: 'AKIDexample', secretKey: 'secret-key-m-scripted' };

/** A connection refused: nothing reached the server, so any call may retry. */
export const refused = (): NetworkError =>
  new NetworkError({ detail: 'connection refused', mayHaveReachedServer: false });

/** The options of scriptedTransport: for a test that makes its transport from a module graph of its own. */
export function scriptedOptions(sender: Sender, extra: Partial<TransportOptions> = {}): TransportOptions {
  return {
    service: 'cvm',
    version: '2017-03-12',
    region: 'ap-guangzhou',
    endpoint: 'http://127.0.0.1:9',
    credentials: scriptedCredentials,
    sender,
    sleep: () => Promise.resolve(),
    random: () => 0.5,
    ...extra,
  };
}

export function scriptedTransport(sender: Sender, extra: Partial<TransportOptions> = {}): Transport {
  return createTransport(scriptedOptions(sender, extra));
}
