// Layering is law (architecture.md rule 4): these rules make it a lint error, not a convention.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import i18next from 'eslint-plugin-i18next'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const restrict = (paths, patterns) => ['error', { paths: paths.map((name) => ({ name, message: 'Not allowed in this layer (see architecture.md).' })), patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  {
    files: ['**/*.{js,mjs,ts,tsx}'],
    languageOptions: { globals: { ...globals.node } }
  },
  {
    // CommonJS scripts (a --require hook): require() is how they load modules.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // Pure TypeScript shared by both sides: no Node, no DOM, no Electron, no native libraries.
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltins, 'electron', 'sharp', 'ali-oss', 'react', 'react-dom'],
        [{ group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'], message: 'src-shared imports nothing from the runtimes.' }]
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'Buffer', 'process', 'require', '__dirname']
    }
  },
  {
    // Engine, services, sandbox and CLI run under plain Node too: never Electron.
    files: ['src-main/engine/**/*.ts', 'src-main/services/**/*.ts', 'src-main/sandbox/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/util/**/*.ts', 'src-main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(['electron'], [{ group: ['**/src-renderer/**'], message: 'Main never imports the renderer.' }])
    }
  },
  {
    // The renderer reaches main only through the IPC contract.
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict(
        [...nodeBuiltins, 'electron', 'sharp', 'ali-oss'],
        [{ group: ['**/src-main/**'], message: 'The renderer talks to main only through src-shared/ipc.' }]
      )
    }
  },
  {
    // Every word the renderer shows comes from the catalogs (src-renderer/src/i18n/locales): literal JSX
    // text is an error. Folders join this list as they are translated (issue 14).
    files: ['app', 'ui', 'i18n', 'editor'].map((folder) => `src-renderer/src/${folder}/**/*.tsx`),
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', { mode: 'jsx-text-only', words: { exclude: ['[0-9!-/:-@[-`{-~\\s·×—…]+', '[A-Z_-]+', 'OSS IMG Studio'] } }]
    }
  }
)
