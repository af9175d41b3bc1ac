import { defineConfig } from 'tsup';
import { command, library } from '../../tooling/tsup.preset.ts';

// Two builds write into dist at once, so neither cleans it: the build script empties it first.
export default defineConfig([
  library({ index: 'src/index.ts' }, { platform: 'node', clean: false }),
  command('src/cli.ts', { clean: false }), // the x-emulator command
]);
