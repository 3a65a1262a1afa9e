/**
 * The credential vault: connection profiles on disk, secrets encrypted at rest.
 *
 *   <dataDir>/profiles/<id>.json   one file per profile, 0600, written atomically: non-secret fields
 *                                  in clear, secrets as Base64 blobs of the injected SecretCipher
 *   <dataDir>/vault-state.json     { version, activeId }, 0600
 *   <dataDir>/vault.key            the file-key cipher's key (cipher.ts), 0600
 *
 * The built-in Local sandbox profile (`local-sandbox`) is not stored: it is always listed, cannot
 * be edited or deleted, is active until another profile is chosen, and starts the sandbox on first
 * use. A profile file that cannot be read is listed as broken (and can be deleted); it is never
 * rewritten or removed except by an explicit `delete`.
 */
import { randomUUID } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { makeResolvedCredentials, type ResolvedCredentials } from './credentials'
import { ioError, isVaultError, VaultError } from './errors'
import { ensurePrivateDir, writePrivateFileAtomic } from './private-file'
import { maskAccessKeyId, type VaultLogger } from './redact'
import { DEMO_BUCKET, type SandboxLauncher } from './sandbox-launcher'
import {
  connectionIssues,
  describeStoredIssues,
  parseOrThrow,
  PROFILE_FORMAT_VERSION,
  PROFILE_ID,
  profileInputSchema,
  profilePatchSchema,
  storedProfileSchema,
  validationError,
  type StoredProfile
} from './schema'
import type { SecretCipher } from './cipher'
import { testCredentials } from './test-connection'
import { LOCAL_SANDBOX_ID, LOCAL_SANDBOX_NAME, type ProfileInput, type ProfilePatch, type ProfileSummary, type TestConnectionResult } from './types'

export interface VaultOptions {
  readonly dataDir: string
  readonly cipher: SecretCipher
  readonly sandbox: SandboxLauncher
  /** Bucket of the Local sandbox profile; default `demo-bucket`. */
  readonly sandboxBucket?: string
  /** Receives ids, codes and fixed text only. */
  readonly log?: VaultLogger
}

export interface TestConnectionOptions {
  /** Per-attempt timeout; default 10 s. */
  readonly timeoutMs?: number
}

export interface Vault {
  /** Local sandbox first, then the stored profiles by name; broken ones included (with `broken`). */
  list(): Promise<ProfileSummary[]>
  get(id: string): Promise<ProfileSummary>
  create(input: ProfileInput): Promise<ProfileSummary>
  update(id: string, patch: ProfilePatch): Promise<ProfileSummary>
  delete(id: string): Promise<void>
  /** Never throws for a profile that exists: OSS's error, a network error or the vault's own comes back as `{ ok: false }`. */
  testConnection(id: string, options?: TestConnectionOptions): Promise<TestConnectionResult>
  /** Main process only (the OSS service): never return this across IPC. */
  credentialsFor(id: string): Promise<ResolvedCredentials>
  /** `local-sandbox` on first launch. */
  readonly activeId: string
  setActive(id: string): Promise<ProfileSummary>
}

const MAX_PROFILE_FILE_BYTES = 64 * 1024
const STATE_FILE = 'vault-state.json'
const PROFILES_DIR = 'profiles'
const PROFILE_FILE = /^([a-z0-9][a-z0-9-]{0,63})\.json$/

type Loaded =
  | { readonly ok: true; readonly profile: StoredProfile }
  | { readonly ok: false; readonly id: string; readonly name: string | undefined; readonly reason: string }

interface Secrets {
  accessKeySecret: string
  stsToken: string | undefined
}

function notFound(id: string): VaultError {
  return new VaultError('NotFound', `No profile with id "${id}"`, PROFILE_ID.test(id) ? { profileId: id } : {})
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || !PROFILE_ID.test(id)) throw new VaultError('NotFound', 'Not a valid profile id')
  return id
}

function byName(a: ProfileSummary, b: ProfileSummary): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
}

export async function createVault(options: VaultOptions): Promise<Vault> {
  const { dataDir, cipher, sandbox } = options
  const sandboxBucket = options.sandboxBucket ?? DEMO_BUCKET
  const profilesDir = join(dataDir, PROFILES_DIR)
  const statePath = join(dataDir, STATE_FILE)
  const log: VaultLogger = options.log ?? (() => undefined)
  const fileOf = (id: string) => join(profilesDir, `${id}.json`)
  const label = (id: string) => `${PROFILES_DIR}/${id}.json`

  await ensurePrivateDir(profilesDir)

  // Mutations run one at a time (read-modify-write of a profile, the active id).
  let queue: Promise<unknown> = Promise.resolve()
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  let sandboxEndpoint: string | undefined

  const sandboxSummary = (): ProfileSummary => ({
    id: LOCAL_SANDBOX_ID,
    name: LOCAL_SANDBOX_NAME,
    kind: 'sandbox',
    ...(sandboxEndpoint ? { endpoint: sandboxEndpoint } : {}),
    bucket: sandboxBucket,
    hasStsToken: false
  })

  // ---- reading ----------------------------------------------------------------------------------

  /** Reads and checks one file; structural problems become `{ ok: false }`, a missing file NotFound. */
  const load = async (id: string): Promise<Loaded> => {
    const broken = (reason: string, name?: unknown): Loaded => ({ ok: false, id, name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 64) : undefined, reason: `${label(id)} ${reason}` })
    let text: string
    let handle
    try {
      handle = await open(fileOf(id), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') throw notFound(id)
      if (code === 'ELOOP') return broken('is a symbolic link; expected a regular file')
      return broken(`cannot be read (${code ?? 'unknown error'})`)
    }
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) return broken('is not a regular file')
      if (stat.size > MAX_PROFILE_FILE_BYTES) return broken(`is too large (${stat.size} bytes) to be a profile`)
      text = await handle.readFile('utf8')
    } catch (error) {
      return broken(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`)
    } finally {
      await handle.close().catch(() => undefined)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // JSON.parse's message quotes the file; it is not passed on.
      return broken(text.trim() === '' ? 'is empty' : 'is not valid JSON (truncated or edited by hand?)')
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return broken('does not contain a profile object')
    const record = json as Record<string, unknown>
    if (record.version !== PROFILE_FORMAT_VERSION) {
      return broken(
        typeof record.version === 'number' && record.version > PROFILE_FORMAT_VERSION
          ? `was written by a newer version of the app (format ${record.version})`
          : 'has no supported format version',
        record.name
      )
    }
    const parsed = storedProfileSchema.safeParse(json)
    if (!parsed.success) return broken(`is invalid: ${describeStoredIssues(parsed.error)}`, record.name)
    if (parsed.data.id !== id) return broken('holds a profile whose id does not match the file name', record.name)
    return { ok: true, profile: parsed.data }
  }

  const decryptBlob = async (profile: StoredProfile, field: keyof StoredProfile['secrets']): Promise<string> => {
    const blob = profile.secrets[field]
    if (blob === undefined) throw new VaultError('DecryptFailed', `${field} is missing`)
    const reader = [cipher, ...(cipher.previous ?? [])].find((c) => c.kind === profile.cipher)
    if (!reader) {
      throw new VaultError('DecryptFailed', `The secrets were encrypted with "${profile.cipher}" but this app uses "${cipher.kind}" (another machine, or the OS keychain is unavailable); re-enter the secret`)
    }
    try {
      return await reader.decrypt(Buffer.from(blob, 'base64'))
    } catch (error) {
      if (isVaultError(error)) throw error
      throw new VaultError('DecryptFailed', 'The secret could not be decrypted')
    }
  }

  const decryptAll = async (profile: StoredProfile): Promise<Secrets> => {
    const failure = (field: string, error: unknown) => new VaultError('DecryptFailed', `${label(profile.id)}: ${field}: ${error instanceof Error ? error.message : 'cannot be decrypted'}`, { profileId: profile.id })
    let accessKeySecret: string
    let stsToken: string | undefined
    try {
      accessKeySecret = await decryptBlob(profile, 'accessKeySecret')
    } catch (error) {
      throw failure('accessKeySecret', error)
    }
    try {
      stsToken = profile.secrets.stsToken === undefined ? undefined : await decryptBlob(profile, 'stsToken')
    } catch (error) {
      throw failure('stsToken', error)
    }
    return { accessKeySecret, stsToken }
  }

  const summaryOf = (profile: StoredProfile, broken?: VaultError): ProfileSummary => ({
    id: profile.id,
    name: profile.name,
    kind: 'oss',
    ...(profile.endpoint ? { endpoint: profile.endpoint } : {}),
    ...(profile.region ? { region: profile.region } : {}),
    bucket: profile.bucket,
    maskedAccessKeyId: maskAccessKeyId(profile.accessKeyId),
    hasStsToken: profile.secrets.stsToken !== undefined,
    ...(profile.customDomain ? { customDomain: profile.customDomain } : {}),
    ...(broken ? { broken: broken.message, brokenCode: 'DecryptFailed' as const } : {})
  })

  const brokenSummary = (loaded: Extract<Loaded, { ok: false }>): ProfileSummary => ({
    id: loaded.id,
    name: loaded.name ?? loaded.id,
    kind: 'oss',
    hasStsToken: false,
    broken: loaded.reason,
    brokenCode: 'CorruptProfile'
  })

  /** The summary, with the secrets test-decrypted (so a wrong key or tampering shows up in the list). */
  const summarize = async (id: string): Promise<ProfileSummary> => {
    const loaded = await load(id)
    if (!loaded.ok) return brokenSummary(loaded)
    try {
      await decryptAll(loaded.profile)
      return summaryOf(loaded.profile)
    } catch (error) {
      if (!isVaultError(error)) throw error
      return summaryOf(loaded.profile, error)
    }
  }

  const storedIds = async (): Promise<string[]> => {
    let names: string[]
    try {
      names = await readdir(profilesDir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw ioError('Reading the profiles folder', error)
    }
    return names.flatMap((n) => {
      const match = PROFILE_FILE.exec(n)
      return match?.[1] && match[1] !== LOCAL_SANDBOX_ID ? [match[1]] : []
    })
  }

  /** Loads a profile that must be usable (for update/credentials). */
  const loadUsable = async (id: string): Promise<StoredProfile> => {
    const loaded = await load(id)
    if (!loaded.ok) throw new VaultError('CorruptProfile', `${loaded.reason}. The file was left as it is; delete the profile and create it again`, { profileId: id })
    return loaded.profile
  }

  // ---- writing ----------------------------------------------------------------------------------

  const encrypt = async (plain: string): Promise<string> => Buffer.from(await cipher.encrypt(plain)).toString('base64')

  const save = async (profile: StoredProfile): Promise<void> => {
    try {
      await writePrivateFileAtomic(fileOf(profile.id), `${JSON.stringify(profile, null, 2)}\n`)
    } catch (error) {
      throw ioError(`Saving ${label(profile.id)}`, error, profile.id)
    }
  }

  // ---- the active profile -----------------------------------------------------------------------

  let activeId = LOCAL_SANDBOX_ID
  {
    let text: string | undefined
    try {
      const handle = await open(statePath, 'r')
      try {
        text = await handle.readFile('utf8')
      } finally {
        await handle.close()
      }
    } catch {
      text = undefined
    }
    if (text !== undefined) {
      let stateId: unknown
      try {
        stateId = (JSON.parse(text) as { activeId?: unknown }).activeId
      } catch {
        log('warn', `${STATE_FILE} is not valid JSON; the Local sandbox is active until another profile is chosen`)
      }
      if (typeof stateId === 'string' && PROFILE_ID.test(stateId)) {
        if (stateId === LOCAL_SANDBOX_ID || (await storedIds()).includes(stateId)) activeId = stateId
        else log('warn', `the active profile ${stateId} no longer exists; the Local sandbox is active`)
      }
    }
  }

  const saveActive = async (id: string): Promise<void> => {
    try {
      await writePrivateFileAtomic(statePath, `${JSON.stringify({ version: 1, activeId: id })}\n`)
    } catch (error) {
      throw ioError(`Saving ${STATE_FILE}`, error)
    }
    activeId = id
  }

  // ---- API --------------------------------------------------------------------------------------

  const vault: Vault = {
    get activeId() {
      return activeId
    },

    async list() {
      const stored = await Promise.all((await storedIds()).map((id) => summarize(id).catch((error: unknown) => (isVaultError(error) && error.code === 'NotFound' ? undefined : Promise.reject(error)))))
      return [sandboxSummary(), ...stored.filter((s): s is ProfileSummary => s !== undefined).sort(byName)]
    },

    async get(id) {
      checkId(id)
      return id === LOCAL_SANDBOX_ID ? sandboxSummary() : summarize(id)
    },

    async create(input) {
      const valid = parseOrThrow(profileInputSchema, input)
      const issues = connectionIssues(valid)
      if (issues.length) throw validationError(issues)
      return serialized(async () => {
        const now = new Date().toISOString()
        const profile: StoredProfile = {
          version: PROFILE_FORMAT_VERSION,
          id: randomUUID(),
          name: valid.name,
          ...(valid.endpoint ? { endpoint: valid.endpoint } : {}),
          ...(valid.region ? { region: valid.region } : {}),
          bucket: valid.bucket,
          accessKeyId: valid.accessKeyId,
          ...(valid.customDomain ? { customDomain: valid.customDomain } : {}),
          cipher: cipher.kind,
          secrets: {
            accessKeySecret: await encrypt(valid.accessKeySecret),
            ...(valid.stsToken ? { stsToken: await encrypt(valid.stsToken) } : {})
          },
          createdAt: now,
          updatedAt: now
        }
        await save(profile)
        log('info', `created profile ${profile.id}`)
        return summaryOf(profile)
      })
    },

    async update(id, patch) {
      checkId(id)
      if (id === LOCAL_SANDBOX_ID) throw new VaultError('ReadOnlyProfile', 'The Local sandbox profile cannot be edited', { profileId: id })
      const valid = parseOrThrow(profilePatchSchema, patch)
      return serialized(async () => {
        const current = await loadUsable(id)
        const pick = <K extends 'endpoint' | 'region' | 'customDomain'>(key: K): string | undefined => {
          const value = valid[key]
          return value === null ? undefined : (value ?? current[key])
        }
        const endpoint = pick('endpoint')
        const region = pick('region')
        const customDomain = pick('customDomain')
        const accessKeyId = valid.accessKeyId ?? current.accessKeyId
        const issues = connectionIssues({ endpoint, region })
        if (accessKeyId !== current.accessKeyId && valid.accessKeySecret === undefined) {
          issues.push({ path: 'accessKeySecret', message: 'is required when the access key id changes' })
        }

        // A kept secret must still decrypt with the current cipher; otherwise it has to be re-entered.
        const keep = async (field: 'accessKeySecret' | 'stsToken'): Promise<string | undefined> => {
          const blob = current.secrets[field]
          if (blob === undefined) return undefined
          try {
            const plain = await decryptBlob(current, field)
            // Saved under an earlier cipher (cipher.previous): moved to the current one now.
            return current.cipher === cipher.kind ? blob : await encrypt(plain)
          } catch (error) {
            issues.push({ path: field, message: `must be entered again: ${error instanceof Error ? error.message : 'the stored one cannot be decrypted'}` })
          }
          return blob
        }
        const secretBlob = valid.accessKeySecret !== undefined ? await encrypt(valid.accessKeySecret) : await keep('accessKeySecret')
        const stsBlob = valid.stsToken === null ? undefined : valid.stsToken !== undefined ? await encrypt(valid.stsToken) : await keep('stsToken')
        if (issues.length || secretBlob === undefined) throw validationError(issues)

        const next: StoredProfile = {
          version: PROFILE_FORMAT_VERSION,
          id,
          name: valid.name ?? current.name,
          ...(endpoint ? { endpoint } : {}),
          ...(region ? { region } : {}),
          bucket: valid.bucket ?? current.bucket,
          accessKeyId,
          ...(customDomain ? { customDomain } : {}),
          cipher: cipher.kind,
          secrets: { accessKeySecret: secretBlob, ...(stsBlob ? { stsToken: stsBlob } : {}) },
          createdAt: current.createdAt,
          updatedAt: new Date().toISOString()
        }
        await save(next)
        log('info', `updated profile ${id}`)
        return summaryOf(next)
      })
    },

    async delete(id) {
      checkId(id)
      if (id === LOCAL_SANDBOX_ID) throw new VaultError('ReadOnlyProfile', 'The Local sandbox profile cannot be deleted', { profileId: id })
      return serialized(async () => {
        try {
          await rm(fileOf(id))
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id)
          throw ioError(`Deleting ${label(id)}`, error, id)
        }
        log('info', `deleted profile ${id}`)
        if (activeId === id) await saveActive(LOCAL_SANDBOX_ID)
      })
    },

    async credentialsFor(id) {
      checkId(id)
      if (id === LOCAL_SANDBOX_ID) {
        const running = await sandbox.ensureStarted()
        sandboxEndpoint = running.endpoint
        return makeResolvedCredentials(
          { profileId: id, kind: 'sandbox', endpoint: running.endpoint, region: undefined, bucket: sandboxBucket, customDomain: undefined, accessKeyId: running.accessKeyId },
          { accessKeySecret: running.accessKeySecret, stsToken: undefined }
        )
      }
      const profile = await loadUsable(id)
      const secrets = await decryptAll(profile)
      return makeResolvedCredentials(
        { profileId: id, kind: 'oss', endpoint: profile.endpoint, region: profile.region, bucket: profile.bucket, customDomain: profile.customDomain, accessKeyId: profile.accessKeyId },
        secrets
      )
    },

    async testConnection(id, testOptions = {}) {
      checkId(id)
      let credentials: ResolvedCredentials
      try {
        credentials = await vault.credentialsFor(id)
      } catch (error) {
        if (isVaultError(error) && error.code !== 'NotFound') return { ok: false, error: { code: error.code, status: 0, message: error.message } }
        throw error
      }
      return testCredentials(credentials, testOptions)
    },

    async setActive(id) {
      checkId(id)
      return serialized(async () => {
        const summary = await vault.get(id)
        if (summary.brokenCode === 'CorruptProfile') throw new VaultError('CorruptProfile', `${summary.broken ?? 'The profile is broken'}; it cannot be made active`, { profileId: id })
        await saveActive(id)
        return summary
      })
    }
  }
  return vault
}
