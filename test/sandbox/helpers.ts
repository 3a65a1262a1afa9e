/** Shared helpers for the sandbox tests: temp data dirs and real ali-oss clients. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OSS from 'ali-oss'
import type { Sandbox } from '../../src-main/sandbox'

/** `sldEnable` (path-style) is a real ali-oss option missing from @types/ali-oss. */
export type ClientOptions = OSS.Options & { sldEnable?: boolean; retryMax?: number }

export function tempRoot(prefix = 'oss-sandbox-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export function client(sandbox: Sandbox, bucket: string, extra: Partial<ClientOptions> = {}): OSS {
  const options: ClientOptions = {
    endpoint: sandbox.endpoint,
    sldEnable: true,
    bucket,
    accessKeyId: sandbox.accessKeyId,
    accessKeySecret: sandbox.accessKeySecret,
    ...extra
  }
  return new OSS(options)
}

/** The error ali-oss throws, with the fields it fills from the OSS error response. */
export interface OssClientError {
  name: string
  code: string
  status: number
  message: string
  requestId?: string
  hostId?: string
  ecCode?: string
}

export async function rejection(promise: Promise<unknown>): Promise<OssClientError> {
  try {
    await promise
  } catch (error) {
    return error as OssClientError
  }
  throw new Error('expected the call to fail')
}

/** Every file under a folder (relative paths). */
export function walk(dir: string, base = dir): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...walk(path, base))
    else out.push(path.slice(base.length + 1))
  }
  return out
}

/** Parse the few fields of an `<Error>` document the tests look at. */
export function errorFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const m of xml.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) fields[m[1] as string] = m[2] as string
  return fields
}

// ---- typings @types/ali-oss 6.23.3 gets wrong or lacks (the runtime shapes of ali-oss 6.23.0) ----

type ListQuery = Record<string, string | number | boolean | null | undefined>

/** `list()` — the typings make `max-keys` required. */
export function list(oss: OSS, query: ListQuery = {}): Promise<OSS.ListObjectResult> {
  return oss.list(query as unknown as OSS.ListObjectsQuery, {})
}

export interface ListV2Result {
  objects: (OSS.ObjectMeta & { owner: { id: string; displayName: string } | null })[]
  prefixes: string[] | null
  isTruncated: boolean
  keyCount: number
  continuationToken: string | null
  nextContinuationToken: string | null
}

export async function listV2(oss: OSS, query: ListQuery = {}): Promise<ListV2Result> {
  return (await oss.listV2(query as never, {})) as unknown as ListV2Result
}

export interface ListBucketsResult {
  buckets: { name: string; region: string; creationDate: string; storageClass: string }[] | null
  owner: { id: string; displayName: string }
  isTruncated: boolean
  nextMarker: string | null
}

export async function listBuckets(oss: OSS, query: ListQuery = {}): Promise<ListBucketsResult> {
  return (await oss.listBuckets(query as never)) as unknown as ListBucketsResult
}

export async function getBucketAcl(oss: OSS, bucket: string): Promise<{ acl: string; owner: { id: string; displayName: string } }> {
  return (await oss.getBucketACL(bucket)) as unknown as { acl: string; owner: { id: string; displayName: string } }
}

export function getObjectMeta(oss: OSS, name: string): Promise<{ status: number; res: { headers: Record<string, string> } }> {
  return (oss as unknown as { getObjectMeta(name: string): Promise<{ status: number; res: { headers: Record<string, string> } }> }).getObjectMeta(name)
}

/** ali-oss's undocumented generic request (signed like every other call), for requests its API shapes or checks itself. */
export type RawRequest = (params: Record<string, unknown>) => Promise<{ status: number; data: Buffer; res: { headers: Record<string, string> } }>
export const raw = (c: OSS) => (c as unknown as { request: RawRequest }).request.bind(c)
