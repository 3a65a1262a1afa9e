/**
 * The route table: a request is matched by method, scope (service / bucket / object) and which
 * sub-resource query parameter it carries. See routes.ts for the registered routes and how to
 * add one.
 */
import { SIGNED_SUBRESOURCES } from './auth'
import type { QueryParams, RequestContext } from './context'

/**
 * Signed sub-resources that only modify an operation (response header overrides, STS token,
 * list continuation…) rather than select one.
 */
const MODIFIERS: ReadonlySet<string> = new Set([
  'security-token',
  'continuation-token',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
  'versionId',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow'
])

/** The operation-selecting sub-resources in a query (e.g. `acl`, `x-oss-process`). */
export function selectingSubresources(query: QueryParams): string[] {
  return query.pairs.map(([name]) => name).filter((name) => SIGNED_SUBRESOURCES.has(name) && !MODIFIERS.has(name))
}

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'

/** `service`: `/` (no bucket); `bucket`: `/<bucket>/`; `object`: `/<bucket>/<key>`. */
export type Scope = 'service' | 'bucket' | 'object'

/**
 * Who may call a route anonymously: `read` on public-read and public-read-write buckets,
 * `write` on public-read-write buckets, `owner` never. Signed requests may call anything.
 * `form`: the handler authenticates the request itself (PostObject's signed policy in the body).
 */
export type Access = 'read' | 'write' | 'owner' | 'form'

export interface Route {
  /** OSS operation name, e.g. `GetObject`, `PutStyle` (for logs and errors). */
  readonly name: string
  readonly method: HttpMethod
  readonly scope: Scope
  /**
   * Query parameter that selects this operation (`acl`, `bucketInfo`, `delete`, `style`,
   * `x-oss-process`, …), present with any value. A route without one serves requests of its
   * method + scope that carry no operation-selecting sub-resource (so `GET ?acl` never falls
   * through to GetObject).
   */
  readonly subresource?: string
  /** Extra condition (e.g. `list-type=2`, an `x-oss-copy-source` header). */
  readonly when?: (request: { query: QueryParams; header(name: string): string | undefined }) => boolean
  readonly access: Access
  /** Default true for bucket and object scopes: 404 NoSuchBucket before the handler runs. */
  readonly bucketMustExist?: boolean
  readonly handler: (ctx: RequestContext) => Promise<void>
}

export class RouteTable {
  private readonly routes: Route[] = []

  constructor(routes: readonly Route[] = []) {
    for (const route of routes) this.add(route)
  }

  /** Register a route; more specific routes (sub-resource, condition) are tried first. */
  add(route: Route): void {
    this.routes.push(route)
    const weight = (r: Route) => (r.subresource !== undefined ? 2 : 0) + (r.when ? 1 : 0)
    this.routes.sort((a, b) => weight(b) - weight(a))
  }

  list(): readonly Route[] {
    return this.routes
  }

  match(method: string, scope: Scope, request: { query: QueryParams; header(name: string): string | undefined }): Route | undefined {
    const selecting = selectingSubresources(request.query)
    return this.routes.find(
      (route) =>
        route.method === method &&
        route.scope === scope &&
        (route.subresource === undefined ? selecting.length === 0 : request.query.has(route.subresource)) &&
        (route.when === undefined || route.when(request))
    )
  }
}
