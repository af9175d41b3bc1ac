// What a script that calls once pays: import the client, create it, make one call (over http to the
// local server, so no TLS: node:tls would be the same for any client). cold.mjs times this file.
import { createClient } from '@x/client';

const client = createClient({
  service: 'cvm',
  version: '2017-03-12',
  region: 'ap-guangzhou',
  endpoint: process.env.ENDPOINT,
  credentials: { secretId: 'AKIDcold', secretKey: 'cold' },
  retry: false,
});
await client.call('DescribeRegions');
client.close();
