/** Shared set-up for the vault tests: temp data dirs, a launcher that is never used, file helpers. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { createFileKeyCipher, createVault, KEY_FILE_NAME, type SandboxLauncher, type SecretCipher } from '../../../src-main/services/vault'

/** Distinctive secrets: if one ever shows up in a message, a summary or a file, a test fails. */
export const SECRET = 'Zq7vSENTINELsecret9kP4wLmN2vB8cR'
export const WRONG_SECRET = 'Wx3yWRONGSENTINELsecret5tU6hJ0aQ'
export const STS_TOKEN = 'CAIS1STSSENTINELtoken/+abcDEF0123456789=='
export const KEY_ID = 'LTAI5tVaultTestKeyabcd'
export const ALL_SECRETS = [SECRET, WRONG_SECRET, STS_TOKEN]

export const POSIX = process.platform !== 'win32'

const dirs: string[] = []

export function tempDir(prefix = 'vault-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777
}

/** A launcher for tests that must not start the sandbox. */
export const unusedLauncher: SandboxLauncher = {
  ensureStarted: () => Promise.reject(new Error('the sandbox must not be started in this test'))
}

/** Every file under `dir` (recursively) with its bytes. */
export function allFiles(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.push({ path, bytes: readFileSync(path) })
  }
  return out
}

/** Fails (with the context) if any distinctive secret occurs in `text`. */
export function secretsIn(text: string): string[] {
  return ALL_SECRETS.filter((s) => text.includes(s))
}

export const validInput = {
  name: 'Production',
  endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
  bucket: 'my-images',
  accessKeyId: KEY_ID,
  accessKeySecret: SECRET
}

/**
 * A profile saved under the file key opens with `chosen()` (which keeps the file key as a reader),
 * moves to `kind` on its next save, and then opens without the key file.
 */
export async function expectMigrationFromFileKey(chosen: (dataDir: string) => Promise<SecretCipher>, kind: string): Promise<void> {
  const dataDir = tempDir()
  const before = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: unusedLauncher })
  const created = await before.create(validInput)

  const vault = await createVault({ dataDir, cipher: await chosen(dataDir), sandbox: unusedLauncher })
  expect((await vault.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
  await vault.update(created.id, { name: 'Production (migrated)' })
  const stored = JSON.parse(readFileSync(join(dataDir, 'profiles', `${created.id}.json`), 'utf8')) as { cipher: string }
  expect(stored.cipher).toBe(kind)

  rmSync(join(dataDir, KEY_FILE_NAME))
  const after = await createVault({ dataDir, cipher: await chosen(dataDir), sandbox: unusedLauncher })
  expect((await after.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
  for (const file of allFiles(dataDir)) expect(secretsIn(file.bytes.toString('latin1')), file.path).toEqual([])
}
