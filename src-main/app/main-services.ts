/**
 * The composition root of the main process: the vault (with the Local sandbox), the style
 * library, the uploads store and one OSS service per profile, wired to every channel of THE IPC
 * contract through one router. Both hosts use it: Electron (preload IPC; passes safeStorage and
 * the clipboard) and browser mode (host/web.ts, WebSocket).
 *
 *   const services = await createMainServices({ dataDir, mode: 'web', version })
 *   const off = services.onEvent((event, payload) => …)
 *   await services.router.dispatch('profiles:list', {})   // → { ok: true, result } | { ok: false, error }
 *   await services.close()
 *
 * Handlers live in one module per area (handlers/*.ts); each is a thin adapter from contract
 * payloads to service calls. Errors are thrown as the services throw them; the router maps them
 * to the contract's one error shape (ipc/errors.ts). Never imports Electron.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { EVENTS, type EventName, type EventPayload } from '../../src-shared/ipc/contract'
import { createRouter, type EventSink, type Handlers, type Router } from '../ipc/router'
import { createStyleLibrary } from '../services/styles'
import { chooseCipher, createSandboxLauncher, createVault, type SafeStorageLike } from '../services/vault'
import type { AppContext } from './context'
import { appHandlers } from './handlers/app'
import { budgetHandlers } from './handlers/budget'
import { clipboardHandlers } from './handlers/clipboard'
import { linkHandlers } from './handlers/links'
import { sandboxHandlers } from './handlers/sandbox'
import { jobHandlers } from './handlers/jobs'
import { objectHandlers } from './handlers/objects'
import { previewHandlers } from './handlers/preview'
import { profileHandlers } from './handlers/profiles'
import { signHandlers } from './handlers/sign'
import { styleHandlers } from './handlers/styles'
import { uploadHandlers } from './handlers/uploads'
import { openAppJobs } from './jobs'
import { createOssConnections } from './oss-connections'
import { createUploadStore } from './uploads'

export type { SafeStorageLike } from '../services/vault'
export type { EventSink, Router } from '../ipc/router'

export interface MainServicesOptions {
  dataDir: string
  mode: 'electron' | 'web'
  version: string
  /** Electron only: the OS keychain for the vault's secrets (falls back to a key file when unusable). */
  safeStorage?: SafeStorageLike
  /** Electron only: writes text to the system clipboard. */
  clipboard?: (text: string) => Promise<void>
  /** Receives redacted lines: ids, codes and fixed text, never payloads or secrets. Default: stderr. */
  log?: (line: string) => void
}

export interface MainServices {
  router: Router
  /** Subscribes to main → renderer events; returns the unsubscribe function. */
  onEvent(listener: EventSink): () => void
  /** Cancels running jobs (they stay resumable), stops the Local sandbox and drops in-memory state. Idempotent. */
  close(): Promise<void>
}

export async function createMainServices(options: MainServicesOptions): Promise<MainServices> {
  const dataDir = resolve(options.dataDir)
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  await mkdir(dataDir, { recursive: true, mode: 0o700 })

  const launcher = createSandboxLauncher(dataDir, { log: (level, message) => log(`sandbox ${level}: ${message}`) })
  const cipher = await chooseCipher({ dataDir, safeStorage: options.safeStorage })
  const vault = await createVault({
    dataDir,
    cipher,
    sandbox: launcher,
    log: (level, message) => log(`vault ${level}: ${message}`)
  })
  const library = createStyleLibrary({ dataDir })
  const uploads = createUploadStore()
  const oss = createOssConnections(vault)

  const listeners = new Set<EventSink>()
  const emit: EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    // Events are checked against the contract like responses are: nothing undeclared leaves main.
    const parsed = EVENTS[event].safeParse(payload)
    if (!parsed.success) {
      log(`ipc: dropped a ${event} event outside the contract`)
      return
    }
    for (const listener of [...listeners]) {
      try {
        listener(event, parsed.data as EventPayload<E>)
      } catch (error) {
        log(`ipc: a ${event} listener failed: ${(error as Error)?.name ?? 'Error'}`)
      }
    }
  }

  // Journals in <dataDir>/jobs; a job whose run never ended (crash, kill) comes back `interrupted`.
  const jobs = await openAppJobs({ dataDir, oss, library, emit })

  const ctx: AppContext = { dataDir, mode: options.mode, version: options.version, secretProtection: cipher.protection, vault, library, uploads, oss, sandbox: launcher, jobs, emit, clipboard: options.clipboard, log }

  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...profileHandlers(ctx),
    ...objectHandlers(ctx),
    ...uploadHandlers(ctx),
    ...previewHandlers(ctx),
    ...styleHandlers(ctx),
    ...signHandlers(ctx),
    ...clipboardHandlers(ctx),
    ...jobHandlers(ctx),
    ...linkHandlers(ctx),
    ...budgetHandlers(ctx),
    ...sandboxHandlers(ctx)
  }
  const inner = createRouter(handlers, { log })

  let closed = false
  let closing: Promise<void> | undefined
  const router: Router = {
    dispatch(channel, payload, signal) {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'ServiceClosed', message: 'The main-process services are closed.', status: 503 } })
      return inner.dispatch(channel, payload, signal)
    }
  }

  return {
    router,
    onEvent(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    close() {
      closed = true
      closing ??= (async () => {
        listeners.clear()
        // Running jobs are cancelled (resumable) while their OSS endpoint — maybe the Local sandbox — still answers.
        await jobs.close()
        uploads.clear()
        oss.clear()
        await launcher.close()
      })()
      return closing
    }
  }
}
