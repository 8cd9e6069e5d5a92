import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test/generated/', 'test/tools/openapi-client/node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.reliability.config.mts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Rows from Knex and JSON.parse are `any` by design (flat rows, no persistence models): the
      // no-unsafe-* family would ask for a type on every row read.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Ports are async; their in-memory and cached implementations often have nothing to await.
      '@typescript-eslint/require-await': 'off',
      // Knex's where(callback) builders are thenables, and async DOM listeners catch their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Errors from 'error' events arrive untyped.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // prom-client's collect() runs with the gauge as `this`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['metrics'] }],
      // Header and subject validation matches control characters on purpose.
      'no-control-regex': 'off',
      // A test server's handlers close over the instance they are passed to before it exists.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Left for the lead's `eslint --fix` next to the one Prettier commit (16 places, all fixable).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // A route table holds routes of every shape.
    files: ['src/shared/http/Route.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // knex ships its SQLite client classes without type declarations.
    files: ['src/shared/database/ImmediateSqlite3Client.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console and the tests turn JSON of unknown shape into text on purpose.
    files: ['src/console/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off', '@typescript-eslint/no-redundant-type-constituents': 'off' },
  },
  {
    // Tests and benchmarks: `any` for fakes and probes; inversify's rebind() is awaited out of habit.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/await-thenable': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS scripts (the OpenAPI type generator runs as a plain node script with its own dependencies).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['bench/console-tenants.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.browser } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
