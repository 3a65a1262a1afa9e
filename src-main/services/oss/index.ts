/**
 * The OSS service used by the app (main process) and the CLI: one instance per bucket connection.
 *
 *   const oss = new OssService({ endpoint: 'http://localhost:9000', bucket: 'demo-bucket', accessKeyId, accessKeySecret })
 *   await oss.putObject('src/a.jpg', bytes, { contentType: 'image/jpeg' })
 *   const thumb = await oss.getProcessedObject('src/a.jpg', 'image/resize,w_100', { maxBytes: 5 << 20 })
 *   await oss.processObjectSave('src/a.jpg', 'out/缩略图.jpg', 'style/thumb')
 *   const { url } = await oss.signUrl({ key: 'src/a.jpg', process: 'style/thumb', expiresSeconds: 600 })
 *
 * Every method throws OssError only. Module map: config.ts (addressing/region), credentials.ts
 * (STS refresh), transport.ts (abort), client.ts (attempts, retries, error fidelity), retry.ts,
 * errors.ts, names.ts (OSS naming rules), objects.ts, styles.ts, save-as.ts, sign.ts.
 */
import { OssClient, type CallOptions } from './client'
import type { AddressingStyle, OssConnectionConfig, SignatureVersion } from './config'
import {
  deleteObject,
  deleteObjects,
  getObject,
  getProcessedObject,
  headObject,
  listAllObjects,
  listObjects,
  putObject,
  type DeleteObjectsResult,
  type GetObjectOptions,
  type ListObjectsOptions,
  type ListObjectsPage,
  type ObjectContent,
  type ObjectInfo,
  type PutObjectOptions,
  type PutObjectResult
} from './objects'
import { anonymousObjectUrl, probeSourceProtection, type SourceProtectionProbe } from './probe'
import { processObjectSave, type SaveAsOptions, type SaveAsResult } from './save-as'
import { signUrl, type SignedUrl, type SignUrlOptions } from './sign'
import { deleteStyle, getStyle, listStyles, putStyle, type PutStyleOptions, type StyleInfo } from './styles'

export class OssService {
  private readonly client: OssClient

  constructor(config: OssConnectionConfig) {
    this.client = new OssClient(config)
  }

  get bucket(): string {
    return this.client.bucket
  }
  get region(): string {
    return this.client.region
  }
  get endpoint(): string {
    return this.client.endpoint
  }
  get addressing(): AddressingStyle {
    return this.client.addressing
  }
  get signatureVersion(): SignatureVersion {
    return this.client.signatureVersion
  }

  listObjects(options?: ListObjectsOptions): Promise<ListObjectsPage> {
    return listObjects(this.client, options)
  }
  listAllObjects(options?: ListObjectsOptions): AsyncGenerator<ListObjectsPage, void, undefined> {
    return listAllObjects(this.client, options)
  }
  getObject(key: string, options?: GetObjectOptions): Promise<ObjectContent> {
    return getObject(this.client, key, options)
  }
  getProcessedObject(key: string, process: string, options?: GetObjectOptions): Promise<ObjectContent> {
    return getProcessedObject(this.client, key, process, options)
  }
  headObject(key: string, options?: CallOptions): Promise<ObjectInfo> {
    return headObject(this.client, key, options)
  }
  putObject(key: string, body: Buffer | Uint8Array, options?: PutObjectOptions): Promise<PutObjectResult> {
    return putObject(this.client, key, body, options)
  }
  deleteObject(key: string, options?: CallOptions): Promise<void> {
    return deleteObject(this.client, key, options)
  }
  deleteObjects(keys: readonly string[], options?: CallOptions): Promise<DeleteObjectsResult> {
    return deleteObjects(this.client, keys, options)
  }

  listStyles(options?: CallOptions): Promise<StyleInfo[]> {
    return listStyles(this.client, options)
  }
  getStyle(name: string, options?: CallOptions): Promise<StyleInfo> {
    return getStyle(this.client, name, options)
  }
  putStyle(name: string, content: string, options?: PutStyleOptions): Promise<void> {
    return putStyle(this.client, name, content, options)
  }
  deleteStyle(name: string, options?: CallOptions): Promise<void> {
    return deleteStyle(this.client, name, options)
  }

  processObjectSave(sourceKey: string, targetKey: string, process: string, options?: SaveAsOptions): Promise<SaveAsResult> {
    return processObjectSave(this.client, sourceKey, targetKey, process, options)
  }

  signUrl(options: SignUrlOptions): Promise<SignedUrl> {
    return signUrl(this.client, options)
  }

  /** The unsigned URL of `key` (with `query`, e.g. `x-oss-process`) on the bucket's endpoint or a custom domain. */
  publicUrl(key: string, query: Record<string, string> = {}, customDomain?: string): string {
    return anonymousObjectUrl(this.client, key, query, customDomain)
  }

  /** Source-image protection as the public meets it on `key`: one anonymous processed GET (probe.ts). */
  probeSourceProtection(key: string, options?: CallOptions): Promise<SourceProtectionProbe> {
    return probeSourceProtection(this.client, key, options)
  }
}

export type { CallOptions } from './client'
export type { AddressingStyle, CredentialsProvider, OssConnectionConfig, OssCredentials, SignatureVersion } from './config'
export { isLoopbackHost, resolveAddressing } from './config'
export { OssError, isOssError, CLIENT_CODES, type OssErrorOrigin } from './errors'
export { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryPolicy } from './retry'
export type { DeleteObjectsResult, GetObjectOptions, ListObjectsOptions, ListObjectsPage, ObjectContent, ObjectInfo, ObjectSummary, PutObjectOptions, PutObjectResult } from './objects'
export { MAX_STYLES_PER_BUCKET, type PutStyleOptions, type StyleInfo } from './styles'
export type { SaveAsOptions, SaveAsResult } from './save-as'
export { SOURCE_PROTECTION_EC, type SourceProtection, type SourceProtectionProbe } from './probe'
export { contentDisposition, DEFAULT_SIGNED_URL_SECONDS, MAX_SIGNED_URL_SECONDS, type ResponseOverrides, type SignedUrl, type SignUrlOptions } from './sign'
