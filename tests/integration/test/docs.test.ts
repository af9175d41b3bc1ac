import { describeReadme } from '@x/test-support';

// The @x code of the docs pages (```ts blocks) runs as written; the official SDK's blocks (```js) are for comparison only.
describeReadme(
  'docs/migrating-from-tencentcloud-sdk-nodejs.md runs as written',
  new URL('../../../docs/migrating-from-tencentcloud-sdk-nodejs.md', import.meta.url),
  new URL('./.readme/docs-migrating/', import.meta.url),
  { minExamples: 6 },
);
