import { parseArgs } from 'node:util';
import { startEmulator } from './emulator';

const usage = `Usage: x-emulator [--port <n>] [--host 127.0.0.1|localhost] [--cors] [--seed <n>] [--no-validate]

Starts a local Tencent Cloud API 3.0 endpoint: the built-in cvm, sts and hunyuan fixtures, and a
synthesized answer for every other action of every service (15,745 actions).

  --seed <n>       seed of synthesized answers and rate-based faults (default 1)
  --no-validate    accept any params (default: checked against each action's schema, as the gateway does)`;

async function main(): Promise<void> {
  let values: { port?: string; host?: string; cors?: boolean; seed?: string; 'no-validate'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        cors: { type: 'boolean' },
        seed: { type: 'string' },
        'no-validate': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const host = values.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') {
    process.stderr.write(`--host must be 127.0.0.1 or localhost: the emulator never listens beyond the loopback.\n`);
    process.exit(2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number, got ${values.port}\n`);
    process.exit(2);
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (values.seed !== undefined && (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(seed))) {
    process.stderr.write(`--seed must be an integer, got ${values.seed}\n`);
    process.exit(2);
  }
  const validate = values['no-validate'] !== true;
  const emulator = await startEmulator({ host, port, cors: values.cors ?? false, seed, validate });
  process.stdout.write(
    [
      `x-emulator listening on ${emulator.url}`,
      `TENCENTCLOUD_SECRET_ID=${emulator.credentials.secretId}`,
      `TENCENTCLOUD_SECRET_KEY=${emulator.credentials.secretKey}`,
      `fixtures: cvm 2017-03-12, sts 2018-08-13, hunyuan 2023-09-01; every other action synthesized ` +
        `(seed ${seed}${validate ? '' : ', params not validated'})`,
      `services: all 260 of @x/services (Ctrl+C stops)`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // e.g. EADDRINUSE for a --port already taken: one line, not a stack trace.
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const named = typeof code === 'string' && !(err instanceof Error && err.message.includes(code));
  process.stderr.write(`x-emulator: ${message}${named ? ` (${code})` : ''}\n`);
  process.exit(1);
});
