// The loopback API 3.0 server of the benchmarks, in its own process: answers every POST with a
// fixed success envelope (no signature check: its cost must not limit the clients), and counts
// TCP connections so the clients can prove keep-alive works. GET /__stats reports the count.
import { createServer } from 'node:http';

let connections = 0;
let requests = 0;
const body = JSON.stringify({
  Response: {
    TotalCount: 1,
    InstanceStatusSet: [{ InstanceId: 'ins-12345678', InstanceState: 'RUNNING' }],
    RequestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c',
  },
});
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ connections, requests }));
    return;
  }
  requests++;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
