// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: [
      'lib/**',
      'node_modules/**',
      'test/e2e/cli/**',
      'test/e2e/trace/**',
      'test/fixtures/**',
      'examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `import fs = require('node:fs')`: the module itself, where `import * as` makes a copy of
      // every export per importing module (tsc's __importStar: 4 ms of each cold start).
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
);
