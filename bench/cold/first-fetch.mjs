// The floor of first-call.mjs: the same first request with the runtime's own fetch, no SDK (not
// signed: server.mjs does not check). cold.mjs times this file.
const response = await fetch(process.env.ENDPOINT, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-tc-action': 'DescribeRegions' },
  body: '{}',
});
await response.json();
