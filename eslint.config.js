// Lint, including the layering of ARCHITECTURE.md: a file's folder decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const noNode = [
  { group: ['node:*'], message: 'Layering: this folder runs without Node (see ARCHITECTURE.md).' },
  ...nodeBuiltins.map((name) => ({ group: [name], message: 'Layering: this folder runs without Node.' })),
];
const noElectron = { group: ['electron', 'electron/*'], message: 'Layering: only app/ may import electron.' };
const folder = (name) => ({ regex: `^(\\.\\./)+${name}(/|$)`, message: `Layering: ${name}/ is not importable from here.` });
// Node-only libraries the renderer and shared/ may not pull in either.
const nodeLibs = ['ws', 'better-sqlite3', 'pino', 'pino-*', 'fast-xml-parser'].map((name) => ({
  group: [name],
  message: 'Layering: a main-process library.',
}));

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.{mjs,cjs,js}'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['renderer/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  layer(['shared/**/*.ts'], [...noNode, noElectron, ...nodeLibs, folder('main'), folder('app'), folder('renderer'), { group: ['react', 'react-dom', 'react/*'], message: 'Layering: shared/ is UI-free.' }]),
  layer(['main/**/*.ts'], [noElectron, folder('app'), folder('renderer')]),
  layer(['renderer/**/*.{ts,tsx}'], [...noNode, noElectron, ...nodeLibs, folder('main'), folder('app')]),
  layer(['app/**/*.{ts,cts}'], [folder('renderer')]),
);
