/**
 * What ali-oss 6.23.0 really has but @types/ali-oss 6.23.3 does not declare (spec
 * oss-rest-and-ali-oss.md §1.10). Only src-main/services/oss uses these; everything here was read in
 * the ali-oss source (lib/client.js, lib/common/client/initOptions.js, lib/common/utils/createRequest.js).
 *
 * `@types/ali-oss` uses `export = OSS` (a class merged with a namespace). Declarations in this
 * augmentation merge into that namespace, so `Options` can be extended here, but instance members
 * cannot be added to the class itself: they are declared as `OSS.Internals`, and client.ts casts the
 * instance exactly once (`OSS & OSS.Internals`).
 */
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import type { Url } from 'node:url'
import type {} from 'ali-oss'

declare module 'ali-oss' {
  interface Options {
    /** Path-style addressing (`/<bucket>/<key>`), for emulators and private links only. Undocumented. */
    sldEnable?: boolean | undefined
    /** Built-in retry of status -1/-2 errors with a fixed 500 ms delay. We keep it at 0 and retry ourselves. */
    retryMax?: number | undefined
    headerEncoding?: string | undefined
    agent?: HttpAgent | undefined
    httpsAgent?: HttpsAgent | undefined
  }

  /** `this.options` after `initOptions`: the endpoint is a parsed legacy URL object. */
  interface ResolvedOptions {
    accessKeyId: string
    accessKeySecret: string
    stsToken?: string | undefined
    bucket: string | null
    region: string
    endpoint: Url
    cname: boolean
    sldEnable: boolean
    timeout: number
    authorizationV4: boolean
  }

  /** Parameters of the internal `request()` (lib/client.js). */
  interface RawRequestParams {
    method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'
    bucket?: string | undefined
    object?: string | undefined
    /** Signed sub-resources; `''` means a bare key (`?style`). */
    subres?: string | string[] | Record<string, string> | undefined
    /** Unsigned (V1) query parameters. */
    query?: Record<string, string | number> | undefined
    headers?: Record<string, string> | undefined
    content?: Buffer | undefined
    mime?: string | undefined
    timeout?: number | undefined
    /** Resolve as soon as the headers arrive; `res` is then the IncomingMessage. */
    customResponse?: boolean | undefined
    /** Without it any status resolves (the caller checks statuses). */
    successStatuses?: number[] | undefined
    xmlResponse?: boolean | undefined
  }

  interface RawResponse {
    status: number
    headers: IncomingHttpHeaders
    /** Buffer for buffered requests; null when `customResponse`. */
    data: Buffer | null
    /** urllib's response summary, or the IncomingMessage when `customResponse`. */
    res: IncomingMessage
  }

  /** The error objects ali-oss throws (lib/client.js `requestError`). */
  interface RawError extends Error {
    status?: number
    code?: string
    requestId?: string
    hostId?: string
    ecCode?: string
  }

  interface UrllibArgs {
    method?: string
    headers?: Record<string, string>
    timeout?: number | number[]
    agent?: HttpAgent
    httpsAgent?: HttpsAgent
    [key: string]: unknown
  }

  type UrllibCallback = (err: Error | null, data: unknown, res: { statusCode: number; headers: IncomingHttpHeaders }) => void

  /** The transport contract ali-oss expects from `this.urllib` (urllib 2.x). */
  interface Urllib {
    request(url: string, args: UrllibArgs): Promise<{ data: unknown; status: number; headers: IncomingHttpHeaders; res: unknown }>
    requestWithCallback(url: string, args: UrllibArgs, callback: UrllibCallback): ClientRequest
  }

  /** Instance members that exist at runtime but are not declared by @types/ali-oss. */
  interface Internals {
    readonly options: ResolvedOptions
    urllib: Urllib
    request(params: RawRequestParams): Promise<RawResponse>
    requestError(result: { status?: number; headers?: IncomingHttpHeaders; data?: Buffer | null }): Promise<RawError>
    parseXML(data: Buffer | string): Promise<unknown>
    setSLDEnabled(enable: boolean): this
    processObjectSave(sourceObject: string, targetObject: string, process: string, targetBucket?: string): Promise<{ res: { status: number }; status: number }>
  }
}
