// One flat config for every workspace: type-aware rules through the TypeScript project service,
// so each file is checked with the tsconfig.json of its own workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    // scripts/*.d.mts: the types of a root script for the tests that import it; no tsconfig holds
    // the scripts folder, and e2e's tsc checks them.
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '**/.data/**', '**/test-results/**', 'scripts/*.d.mts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Production code never imports test helpers (STYLE.md): a test helper may use production
    // code, never the reverse.
    files: ['**/src/**/*.{ts,tsx}'],
    ignores: ['**/*.spec.{ts,tsx}', '**/*.test.{ts,tsx}', '**/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@codiesvibe/*/testing', '@codiesvibe/*/testing/*'],
              message: 'production code must not import test helpers',
            },
          ],
        },
      ],
    },
  },
  {
    // The MongoDB init script runs in mongosh, which provides db, print and require.
    files: ['config/mongo/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { db: 'readonly', print: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain JavaScript (bin shims, scripts, configs) is not part of any tsconfig.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
