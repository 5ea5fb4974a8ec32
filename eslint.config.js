// Flat config for the whole repository. Type-aware rules are left out on purpose:
// they need a full program per file set and would make `npm run lint` slow for
// little gain over `npm run typecheck`, which already runs tsc and vue-tsc.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'data/', 'artifacts/', 'node_modules/', 'coverage/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },

  {
    files: ['server/**/*.ts', 'geodata/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'migrations/**/*.{ts,js}', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },

  {
    files: ['client/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },

  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
    },
  },

  {
    rules: {
      // `_`-prefixed names mark parameters kept for a signature (Express handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
]);
