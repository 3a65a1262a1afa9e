/**
 * `profiles:*` — the vault. Secrets come in (create/update) and never go out: summaries are
 * copied field by field into the contract's shape, and the router validates them again against
 * the contract's strict schema.
 */
import type { ProfileSummary as ContractProfileSummary } from '../../../src-shared/ipc/contract'
import type { Handlers } from '../../ipc/router'
import type { ProfileInput, ProfilePatch, ProfileSummary, TestConnectionError } from '../../services/vault'
import type { AppContext } from '../context'

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value)

export function toContractSummary(summary: ProfileSummary): ContractProfileSummary {
  return {
    id: summary.id,
    name: summary.name,
    kind: summary.kind,
    ...(summary.endpoint !== undefined ? { endpoint: summary.endpoint } : {}),
    ...(summary.region !== undefined ? { region: summary.region } : {}),
    ...(summary.bucket !== undefined ? { bucket: summary.bucket } : {}),
    ...(summary.maskedAccessKeyId !== undefined ? { maskedAccessKeyId: summary.maskedAccessKeyId } : {}),
    hasStsToken: summary.hasStsToken,
    ...(summary.customDomain !== undefined ? { customDomain: summary.customDomain } : {}),
    ...(summary.broken !== undefined ? { broken: clip(summary.broken, 512) } : {}),
    ...(summary.brokenCode !== undefined ? { brokenCode: summary.brokenCode } : {})
  }
}

function toErrorInfo(error: TestConnectionError) {
  return {
    code: clip(error.code, 64),
    message: clip(error.message, 2048),
    status: error.status,
    ...(error.requestId ? { requestId: clip(error.requestId, 128) } : {}),
    ...(error.ec ? { ec: clip(error.ec, 32) } : {})
  }
}

export function profileHandlers(ctx: AppContext): Pick<Handlers, 'profiles:list' | 'profiles:create' | 'profiles:update' | 'profiles:delete' | 'profiles:setActive' | 'profiles:test'> {
  const { vault } = ctx
  return {
    'profiles:list': async () => ({ profiles: (await vault.list()).map(toContractSummary), activeId: vault.activeId }),

    // The vault validates again (bucket required, endpoint/region rules) and answers ValidationError naming fields, never values.
    'profiles:create': async (input) => toContractSummary(await vault.create(input as ProfileInput)),

    'profiles:update': async ({ id, patch }) => {
      try {
        return toContractSummary(await vault.update(id, patch as ProfilePatch))
      } finally {
        ctx.oss.invalidate(id)
      }
    },

    'profiles:delete': async ({ id }) => {
      try {
        await vault.delete(id)
      } finally {
        ctx.oss.invalidate(id)
      }
      return {}
    },

    'profiles:setActive': async ({ id }) => {
      await vault.setActive(id)
      return {}
    },

    'profiles:test': async ({ id }, { signal }) => {
      signal.throwIfAborted()
      const result = await vault.testConnection(id)
      return result.ok ? { ok: true as const, latencyMs: result.latencyMs, ...(result.bucketCount !== undefined ? { bucketCount: result.bucketCount } : {}) } : { ok: false as const, error: toErrorInfo(result.error) }
    }
  }
}
