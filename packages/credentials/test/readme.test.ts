import { describeReadme } from '@x/test-support';

describeReadme(
  'README examples run as written',
  new URL('../README.md', import.meta.url),
  new URL('./.readme/', import.meta.url),
);
