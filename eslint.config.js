import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Tests and scripts may print; library code may not (a library never writes to the console).
    files: ['**/test/**', 'tests/**', '**/scripts/**', 'bench/**', 'apps/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Library code a newcomer reads in one sitting: no function longer than a screen, no file
    // longer than a few. Lines are counted as they stand (blank lines and comments included).
    // Generated code is not linted (@x/services is all dist/, written by its generator).
    files: ['packages/*/src/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 60 }],
      'max-lines': ['error', { max: 300 }],
    },
  },
);
