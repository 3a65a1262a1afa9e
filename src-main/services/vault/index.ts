/**
 * The credential vault (main process): connection profiles with secrets encrypted at rest, the
 * built-in Local sandbox profile, and "test connection". See vault.ts for the layout on disk and
 * README.md for the decisions. Never imports Electron: the Electron host passes `safeStorage` in.
 *
 *   const launcher = createSandboxLauncher(dataDir)
 *   const vault = await createVault({ dataDir, cipher: chooseCipher({ dataDir, safeStorage }), sandbox: launcher })
 *   const oss = new OssService(ossConfigFor(await vault.credentialsFor(vault.activeId)))
 *   …
 *   await launcher.close()
 */
export { createVault, type TestConnectionOptions, type Vault, type VaultOptions } from './vault'
export {
  chooseCipher,
  createFileKeyCipher,
  createSafeStorageCipher,
  isSafeStorageUsable,
  FILE_KEY_CIPHER_KIND,
  KEY_FILE_NAME,
  SAFE_STORAGE_CIPHER_KIND,
  type FileKeyCipher,
  type SafeStorageCipherOptions,
  type SafeStorageLike,
  type SecretCipher,
  type SecretProtection
} from './cipher'
export { KEYRING_CIPHER_KIND, KEYRING_ENV, KEYRING_SERVICE, keyringAccount, openKeyringCipher } from './keyring-cipher'
export { createPassphraseCipher, PASSPHRASE_CIPHER_KIND, PASSPHRASE_ENV } from './passphrase-cipher'
export { createSandboxLauncher, DEMO_BUCKET, type ClosableSandboxLauncher, type SandboxConnection, type SandboxLauncher, type SandboxLauncherOptions, type SandboxSettingsPort } from './sandbox-launcher'
export { ossConfigFor, type ResolvedCredentials } from './credentials'
export { VaultError, isVaultError, type VaultErrorCode, type VaultIssue } from './errors'
export { maskAccessKeyId, redactSecrets, type VaultLogger, type VaultLogLevel } from './redact'
export { LOCAL_SANDBOX_ID, LOCAL_SANDBOX_NAME, type ProfileInput, type ProfileKind, type ProfilePatch, type ProfileSummary, type TestConnectionError, type TestConnectionResult } from './types'
