import { defineConfig } from 'tsup';
import { command } from '../../tooling/tsup.preset';

export default defineConfig(command('src/cli.ts'));
