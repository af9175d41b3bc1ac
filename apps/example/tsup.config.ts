import { defineConfig } from 'tsup';
import { command } from '../../tooling/tsup.preset.ts';

export default defineConfig(command('src/cli.ts'));
