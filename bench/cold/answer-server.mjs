// The server the first-call series talks to (cold.mjs starts it in a process of its own, since the
// runs it times block the bench's own event loop): every request gets the same small API 3.0
// answer, at once. Prints its port, then serves until killed.
import { createServer } from 'node:http';

const answer = JSON.stringify({ Response: { TotalCount: 0, RegionSet: [], RequestId: 'cold-first-call' } });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
