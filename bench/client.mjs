// One benchmark run of one client, in its own process: `node client.mjs <client> <inFlight> <calls> <port>`.
// Prints one JSON line: client CPU µs per request (process.cpuUsage), requests/s, RSS and the TCP
// connections opened after the warm-up.
import { createRequire } from 'node:module';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

const [name, inFlightArg, callsArg, portArg] = process.argv.slice(2);
const inFlight = Number(inFlightArg);
const calls = Number(callsArg);
const port = Number(portArg);
const endpoint = `http://127.0.0.1:${port}`;
const credentials = { secretId: 'AKIDBENCH000000000000000000000000', secretKey: 'bench-secret-key-0000000000000000' };
const params = { InstanceIds: ['ins-12345678'], Limit: 1 };

/** The server's connection count, asked over a connection of its own (never a pooled one). */
function stats() {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/__stats', agent: false }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve(JSON.parse(data).connections));
    })
      .on('error', reject)
      .end();
  });
}

/** Global fetch + TC3 signing and nothing else; `cancellable` adds an AbortSignal and a timer. */
async function rawFetch(cancellable) {
  const { signTc3 } = await import('@x/transport/sign');
  return async () => {
    const payload = JSON.stringify(params);
    const timestamp = Math.floor(Date.now() / 1000);
    const { authorization } = await signTc3({
      method: 'POST',
      host: `127.0.0.1:${port}`,
      contentType: 'application/json',
      payload,
      service: 'cvm',
      timestamp,
      ...credentials,
    });
    const controller = cancellable ? new AbortController() : undefined;
    const timer = cancellable ? setTimeout(() => controller.abort(), 30_000) : undefined;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        body: payload,
        signal: controller?.signal,
        headers: {
          'Content-Type': 'application/json',
          'X-TC-Action': 'DescribeInstancesStatus',
          'X-TC-Version': '2017-03-12',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': 'ap-guangzhou',
          Authorization: authorization,
        },
      });
      if ((await res.json()).Response.TotalCount !== 1) throw new Error('bad answer');
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Each factory returns `call()` doing one DescribeInstancesStatus and checking the answer. */
const clients = {
  async 'x-node'() {
    const { createClient } = await import('@x/client');
    const cvm = createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint, credentials });
    return async () => {
      const r = await cvm.call('DescribeInstancesStatus', params);
      if (r.TotalCount !== 1) throw new Error('bad answer');
    };
  },
  async 'x-fetch'() {
    const { createClient } = await import('@x/client');
    const cvm = createClient({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint,
      credentials,
      fetch: globalThis.fetch,
    });
    return async () => {
      const r = await cvm.call('DescribeInstancesStatus', params);
      if (r.TotalCount !== 1) throw new Error('bad answer');
    };
  },
  async 'raw-node'() {
    const { signTc3 } = await import('@x/transport/sign');
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    return async () => {
      const payload = JSON.stringify(params);
      const timestamp = Math.floor(Date.now() / 1000);
      const host = `127.0.0.1:${port}`;
      const { authorization } = await signTc3({
        method: 'POST',
        host,
        contentType: 'application/json',
        payload,
        service: 'cvm',
        timestamp,
        ...credentials,
      });
      const text = await new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/',
            agent,
            headers: {
              'Content-Type': 'application/json',
              Host: host,
              'X-TC-Action': 'DescribeInstancesStatus',
              'X-TC-Version': '2017-03-12',
              'X-TC-Timestamp': String(timestamp),
              'X-TC-Region': 'ap-guangzhou',
              Authorization: authorization,
              'Content-Length': Buffer.byteLength(payload),
            },
          },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (data += c));
            res.on('end', () => resolve(data));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      if (JSON.parse(text).Response.TotalCount !== 1) throw new Error('bad answer');
    };
  },
  'raw-fetch': () => rawFetch(false),
  // The fetch floor as a client that can time out or be cancelled has to run it: an AbortSignal
  // per request (and a timer). Measured apart to show what undici charges for that.
  'raw-fetch-signal': () => rawFetch(true),
  async official() {
    const require = createRequire(import.meta.url);
    const { CommonClient } = require('tencentcloud-sdk-nodejs-common');
    // The SDK derives its signing service from the host name, so it gets the real one and an
    // agent whose sockets all go to the loopback server (keep-alive, as a fair comparison).
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    agent.createConnection = (_options, callback) => {
      const socket = connect(port, '127.0.0.1');
      callback?.(null, socket);
      return socket;
    };
    const client = new CommonClient('cvm.tencentcloudapi.com', '2017-03-12', {
      credential: credentials,
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://', agent } },
    });
    return async () => {
      const r = await client.request('DescribeInstancesStatus', params);
      if (r.TotalCount !== 1) throw new Error('bad answer');
    };
  },
};

async function drive(call, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

const call = await clients[name]();
await drive(call, Math.min(500, calls)); // warm-up: JIT, sockets, derived keys
const connectionsBefore = await stats();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await drive(call, calls);
const elapsed = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const connectionsAfter = await stats();
process.stdout.write(
  `${JSON.stringify({
    name,
    inFlight,
    calls,
    cpuUsPerRequest: (cpu.user + cpu.system) / calls,
    // The kernel's share (socket writes and reads on loopback) is the same work for every client.
    systemUsPerRequest: cpu.system / calls,
    requestsPerSecond: (calls / elapsed) * 1000,
    rssMiB: process.memoryUsage().rss / 1048576,
    newConnections: connectionsAfter - connectionsBefore - 1, // minus the stats request itself
  })}\n`,
);
process.exit(0);
