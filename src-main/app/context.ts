/** What every handler module gets from the composition root (main-services.ts). */
import type { EventSink } from '../ipc/router'
import type { StyleLibrary } from '../services/styles'
import type { SandboxLauncher, SandboxSettingsPort, SecretProtection, Vault } from '../services/vault'
import type { AppJobs } from './jobs'
import type { OssConnections } from './oss-connections'
import type { UploadStore } from './uploads'

export interface AppContext {
  readonly dataDir: string
  readonly mode: 'electron' | 'web'
  readonly version: string
  /** What protects the vault's secrets at rest (the studio warns when it is only the key file). */
  readonly secretProtection: SecretProtection
  readonly vault: Vault
  readonly library: StyleLibrary
  readonly uploads: UploadStore
  readonly oss: OssConnections
  /** The Local sandbox (started on first use) and its per-bucket IMG settings. */
  readonly sandbox: SandboxLauncher & SandboxSettingsPort
  /** Bulk jobs: they run in main, independent of any window. */
  readonly jobs: AppJobs
  /** Main → renderer events (validated against the contract before they leave). */
  readonly emit: EventSink
  /** Electron only. */
  readonly clipboard: ((text: string) => Promise<void>) | undefined
  /** Redacted lines only: ids, codes and fixed text. */
  readonly log: (line: string) => void
}
