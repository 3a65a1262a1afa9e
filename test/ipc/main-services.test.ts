/** The composition root's own behaviour: cipher choice, events, close. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SafeStorageLike } from '../../src-main/app/main-services'
import { err, makeBed, ok, removeTempDirs } from './helpers'

afterAll(() => removeTempDirs())

const profile = { name: 'P', endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', bucket: 'my-bucket', accessKeyId: 'LTAI5tMainServicesKey', accessKeySecret: 'main-services-secret' }

function storedCipher(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'profiles')).map((f) => (JSON.parse(readFileSync(join(dataDir, 'profiles', f), 'utf8')) as { cipher: string }).cipher)
}

describe('createMainServices', () => {
  it('encrypts with Electron safeStorage when given and usable, else with the key file', async () => {
    const safeStorage: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
      decryptString: (blob) => Buffer.from([...blob].map((b) => b ^ 0x5a)).toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret'
    }
    const desktop = await makeBed({ safeStorage })
    ok(await desktop.services.router.dispatch('profiles:create', profile))
    expect(storedCipher(desktop.dataDir)).toEqual(['electron-safe-storage'])
    await desktop.services.close()

    const weak = await makeBed({ safeStorage: { ...safeStorage, getSelectedStorageBackend: () => 'basic_text' } })
    ok(await weak.services.router.dispatch('profiles:create', profile))
    expect(storedCipher(weak.dataDir)).toEqual(['aes-256-gcm-file-key'])
    await weak.services.close()
  })

  it('events reach subscribers until they unsubscribe; close is idempotent and ends dispatching', async () => {
    const bed = await makeBed({ mode: 'web' })
    const seen: string[] = []
    const off = bed.services.onEvent((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`))
    const exported = JSON.stringify({ format: 'oss-img-studio/styles', version: 1, styles: [{ name: 'a', process: 'image/resize,w_10' }] })
    ok(await bed.services.router.dispatch('styles:import', { json: exported, onConflict: 'skip' }))
    off()
    ok(await bed.services.router.dispatch('styles:import', { json: exported.replace('w_10', 'w_20'), onConflict: 'overwrite' }))
    expect(seen).toEqual(['styles:changed {"names":["a"]}'])
    expect(bed.events).toHaveLength(2)

    await Promise.all([bed.services.close(), bed.services.close()])
    await bed.services.close()
    expect(err(await bed.services.router.dispatch('app:info', {}))).toMatchObject({ code: 'ServiceClosed', status: 503 })
  })
})
