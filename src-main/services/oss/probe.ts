/**
 * Source-image protection (原图保护, spec oss-img.md §7) has no OSS API: the console sets it. What a
 * signed-URL user needs to know is whether the public will be refused `image/...` on an object, so
 * we ask the way the public would: one UNSIGNED `GET /<key>?x-oss-process=image/info` on the
 * bucket's own endpoint (never a custom domain: a CDN in front may cache or rewrite the answer).
 *
 * 403 with EC 0040-00000031 (or OSS's message for it, ali-oss #672) → `on`; 2xx → `off`; anything
 * else → `unknown` (a private bucket refuses every anonymous read, so nothing can be told there).
 */
import type { IncomingMessage } from 'node:http'
import { header, readBody, type CallOptions, type OssClient } from './client'
import { isOssError } from './errors'
import { assertObjectKey } from './names'

export type SourceProtection = 'on' | 'off' | 'unknown'

export interface SourceProtectionProbe {
  readonly sourceProtection: SourceProtection
  /** The probe's HTTP status (-1 network error, -2 timeout). */
  readonly status: number
  readonly code?: string | undefined
  readonly ec?: string | undefined
}

export const SOURCE_PROTECTION_EC = '0040-00000031'
const SOURCE_PROTECTION_MESSAGE = /only be accessed using style/i
/** image/info is a few hundred bytes of JSON; an error is a small XML document. */
const MAX_PROBE_BODY = 64 * 1024

/** The object's anonymous URL on the bucket's endpoint, as ali-oss addresses it (path-style for loopback). */
export function anonymousObjectUrl(client: Pick<OssClient, 'endpoint' | 'addressing' | 'bucket'>, key: string, query: Record<string, string>, customDomain?: string): string {
  const url = new URL(customDomain ?? client.endpoint)
  const path = key.split('/').map(encodeURIComponent).join('/')
  // A custom domain (CNAME) is bound to the bucket: the key is the whole path.
  if (customDomain !== undefined) url.pathname = `${url.pathname.replace(/\/$/, '')}/${path}`
  else if (client.addressing === 'path') url.pathname = `/${client.bucket}/${path}`
  else {
    if (client.addressing === 'virtual-hosted') url.hostname = `${client.bucket}.${url.hostname}`
    url.pathname = `/${path}`
  }
  url.search = new URLSearchParams(query).toString()
  return url.href
}

export async function probeSourceProtection(client: OssClient, key: string, options: CallOptions = {}): Promise<SourceProtectionProbe> {
  const operation = 'probeSourceProtection'
  assertObjectKey(key)
  const url = anonymousObjectUrl(client, key, { 'x-oss-process': 'image/info' })
  try {
    // One attempt unless asked otherwise: a slow answer should not hold up the panel that asked.
    return await client.run(operation, { retry: false, ...options }, async ({ oss, timeout, signal }) => {
      // ali-oss's transport (agents, abort) without ali-oss's signing: the request is anonymous.
      const result = await oss.urllib.request(url, { method: 'GET', timeout, streaming: true })
      const res = result.res as IncomingMessage
      const status = result.status
      if (status >= 200 && status < 300) {
        res.destroy()
        return { sourceProtection: 'off' as const, status }
      }
      const { body } = await readBody(res, { maxBytes: MAX_PROBE_BODY, idleTimeoutMs: timeout, signal }).catch(() => ({ body: Buffer.alloc(0) }))
      const error = await oss.requestError({ status, headers: result.headers, data: body })
      const ec = error.ecCode ?? header(result.headers, 'x-oss-ec')
      const on = status === 403 && (ec === SOURCE_PROTECTION_EC || SOURCE_PROTECTION_MESSAGE.test(error.message))
      return { sourceProtection: on ? ('on' as const) : ('unknown' as const), status, ...(error.code ? { code: error.code } : {}), ...(ec ? { ec } : {}) }
    })
  } catch (error) {
    // The probe is advice: an unreachable endpoint says nothing about the setting. An abort stays an abort.
    if (isOssError(error) && error.status < 0) return { sourceProtection: 'unknown', status: error.status, code: error.code }
    throw error
  }
}
