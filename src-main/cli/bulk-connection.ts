/**
 * `oss-img bulk`'s connection: credentials from a stored profile (`--profile NAME`, the vault in
 * the data folder) or from `--endpoint` with `OSS_ACCESS_KEY_ID` / `OSS_ACCESS_KEY_SECRET` (and
 * `OSS_SESSION_TOKEN`); one OssService per bucket; named styles resolved in the style library
 * first, then in the source bucket's styles (as the studio's preview does).
 */
import { join } from 'node:path'
import { homedir } from 'node:os'
import { defaultDataDir } from '../host/web-args'
import { isOssError, OssService, type OssConnectionConfig } from '../services/oss'
import { createStyleLibrary } from '../services/styles'
import { chooseCipher, createSandboxLauncher, createVault, ossConfigFor, type ClosableSandboxLauncher, type ResolvedCredentials } from '../services/vault'
import { UsageError } from './usage-error'

export interface BulkConnectionArgs {
  readonly profile?: string | undefined
  readonly endpoint?: string | undefined
  readonly region?: string | undefined
  readonly dataDir?: string | undefined
}

export interface BulkConnection {
  /** What the journal records about it (never a secret). */
  readonly meta: Record<string, string>
  service(bucket: string): OssService
  close(): Promise<void>
}

function bulkDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit
  if (env.OSS_IMG_STUDIO_HOME) return env.OSS_IMG_STUDIO_HOME
  return defaultDataDir({ env, platform: process.platform, home: homedir() })
}

function fromEnvironment(endpoint: string, region: string | undefined, env: NodeJS.ProcessEnv): Omit<OssConnectionConfig, 'bucket'> {
  const accessKeyId = env.OSS_ACCESS_KEY_ID
  const accessKeySecret = env.OSS_ACCESS_KEY_SECRET
  if (!accessKeyId || !accessKeySecret) throw new UsageError('--endpoint needs the OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET environment variables (and OSS_SESSION_TOKEN for STS credentials), or use --profile NAME')
  return { endpoint, region, accessKeyId, accessKeySecret, stsToken: env.OSS_SESSION_TOKEN || undefined }
}

/** Opens the connection; undefined when the job needs none (folder to folder). */
export async function openBulkConnection(args: BulkConnectionArgs, env: NodeJS.ProcessEnv = process.env): Promise<BulkConnection | undefined> {
  if (args.profile !== undefined && args.endpoint !== undefined) throw new UsageError('give either --profile or --endpoint, not both')
  if (args.endpoint !== undefined) {
    const base = fromEnvironment(args.endpoint, args.region, env)
    const cache = new Map<string, OssService>()
    // Validate the configuration now (a bad endpoint is a usage error, not a failed item).
    new OssService({ ...base, bucket: 'probe-bucket' })
    return {
      meta: { endpoint: args.endpoint },
      service(bucket) {
        let service = cache.get(bucket)
        if (!service) {
          service = new OssService({ ...base, bucket })
          cache.set(bucket, service)
        }
        return service
      },
      async close() {}
    }
  }
  if (args.profile === undefined) return undefined
  const dataDir = bulkDataDir(args.dataDir, env)
  const launcher: ClosableSandboxLauncher = createSandboxLauncher(dataDir)
  try {
    const vault = await createVault({ dataDir, cipher: await chooseCipher({ dataDir }), sandbox: launcher })
    const profiles = await vault.list()
    const matches = profiles.filter((p) => p.name === args.profile || p.id === args.profile)
    if (matches.length === 0) throw new UsageError(`--profile: no profile named ${JSON.stringify(args.profile)} in ${join(dataDir, 'profiles')} (profiles: ${profiles.map((p) => JSON.stringify(p.name)).join(', ') || 'none'})`)
    if (matches.length > 1) throw new UsageError(`--profile: ${matches.length} profiles are named ${JSON.stringify(args.profile)}; give the profile id instead (${matches.map((p) => p.id).join(', ')})`)
    const profile = matches[0]!
    if (profile.broken) throw new UsageError(`--profile ${JSON.stringify(args.profile)}: ${profile.broken}`)
    const credentials: ResolvedCredentials = await vault.credentialsFor(profile.id)
    const cache = new Map<string, OssService>()
    return {
      meta: { profile: profile.name },
      service(bucket) {
        let service = cache.get(bucket)
        if (!service) {
          service = new OssService(ossConfigFor(credentials, { bucket, ...(args.region ? { region: args.region } : {}) }))
          cache.set(bucket, service)
        }
        return service
      },
      close: () => launcher.close()
    }
  } catch (error) {
    await launcher.close()
    throw error
  }
}

/** `--style NAME`: the data folder's style library (`--data-dir`, else the default), then the source bucket's styles. */
export function bulkStyleLookup(dataDirOption: string | undefined, connection: BulkConnection | undefined, sourceBucket: string | undefined): (name: string) => Promise<string | undefined> {
  const library = createStyleLibrary({ dataDir: bulkDataDir(dataDirOption) })
  return async (name) => {
    const local = await library.find(name).catch(() => undefined)
    if (local) return local.process
    if (!connection || sourceBucket === undefined) return undefined
    try {
      return (await connection.service(sourceBucket).getStyle(name)).content
    } catch (error) {
      if (isOssError(error) && error.status === 404) return undefined
      throw error
    }
  }
}
