import { describeReadme } from '@x/test-support';

// The "your own client" recipe of the @x/transport README runs against @x/emulator, which
// @x/transport cannot depend on: its ```ts emulator blocks run here.
describeReadme(
  'the @x/transport README (emulator blocks) runs as written',
  new URL('../../../packages/transport/README.md', import.meta.url),
  new URL('./.readme/transport/', import.meta.url),
  { fence: '```ts emulator' },
);
