import { describeReadme } from '@x/test-support';

// These READMEs run examples against @x/emulator; their packages cannot depend on it, so the
// examples are checked here, importing the packages by name.
describeReadme(
  'the @x/client README runs as written',
  new URL('../../../packages/client/README.md', import.meta.url),
  new URL('./.readme/client/', import.meta.url),
  { minExamples: 4 },
);
describeReadme(
  'the @x/credentials README (STS blocks) runs as written',
  new URL('../../../packages/credentials/README.md', import.meta.url),
  new URL('./.readme/credentials/', import.meta.url),
  { fence: '```ts emulator' },
);
describeReadme(
  'the @x/services README runs as written',
  new URL('../../../packages/services/README.md', import.meta.url),
  new URL('./.readme/services/', import.meta.url),
  { minExamples: 3 },
);
