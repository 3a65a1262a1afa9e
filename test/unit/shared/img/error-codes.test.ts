/**
 * The error-code table (issue 17 §1): every row's example raises exactly the row's EC, Code and
 * HTTP status, for the row's action and parameter, in the single message template; every EC an
 * action module declares is in the table; docs/error-codes.md is the table rendered.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ACTIONS } from '../../../../src-shared/img/actions'
import { EC_TABLE, ecOf, type EcRow } from '../../../../src-shared/img/error-codes'
import { statusOf } from '../../../../src-shared/img/errors'
import type { ActionSchema, ParamSpec } from '../../../../src-shared/img/schema'
import { errorOfExample, renderErrorCodeDoc } from '../../../support/error-codes-doc'

const DOC = join(__dirname, '../../../../docs/error-codes.md')
const label = (r: EcRow) => `${r.ec} ${r.action} ${r.param || '—'} ${r.kind}: ${r.example.length > 70 ? `${r.example.slice(0, 67)}...` : r.example}`
/** Rows whose error is reported at another action: P lives inside a watermark image's own process. */
/** Causes whose message names the parameter ("… for w but received …"). */
const NAMES_PARAM = new Set<EcRow['kind']>(['invalid', 'not-a-number', 'bare', 'unsupported', 'missing', 'empty'])
const reportedElsewhere = (r: EcRow) => r.action === 'resize' && r.param === 'P'

describe('every row of the EC table', () => {
  it.each(EC_TABLE.map((r) => [label(r), r] as const))('%s', (_label, row) => {
    const error = errorOfExample(row) as ReturnType<typeof errorOfExample> & { code: string; status: number; action?: string; param?: string }
    expect({ ec: error.ec, code: error.code, status: error.status }).toEqual({ ec: row.ec, code: row.code, status: statusOf(row.code) })
    expect(error.message).toMatch(/expected .+ but received/)
    if (Object.hasOwn(ACTIONS, row.action) && !reportedElsewhere(row)) {
      expect(error.action).toBe(row.action)
      const param = error.param === '' ? 'value' : (error.param ?? '')
      expect(param).toBe(row.param)
      if (row.param !== '' && row.param !== 'value' && NAMES_PARAM.has(row.kind)) expect(error.message).toContain(`for ${row.param}`)
    }
    if (reportedElsewhere(row)) expect(error.message).toContain(`for ${row.param}`)
  })

  it('cites a help page of its own EC, or says why it does not', () => {
    for (const row of EC_TABLE) {
      if (!row.url.endsWith(row.ec)) expect(row.decision, row.ec).toBeTruthy()
      expect(row.url).toMatch(/^https:\/\/help\.aliyun\.com\/zh\/oss\/support\/0040-000\d{5}$/)
    }
  })

  it('answers one EC per action, parameter and cause', () => {
    for (const row of EC_TABLE) expect(ecOf(row.action, row.param, row.kind), label(row)).toBe(row.ec)
  })
})

describe('the action modules', () => {
  const ecsOf = (spec: ParamSpec): string[] => [
    spec.ec,
    spec.required?.ec,
    spec.type === 'int' ? spec.notNumberEc : undefined,
    spec.type === 'base64' ? spec.emptyEc : undefined,
    spec.type === 'base64' ? spec.maxBytes?.ec : undefined,
    spec.type === 'base64' ? spec.oneOf?.ec : undefined
  ].filter((ec): ec is string => ec !== undefined)

  it.each(Object.values(ACTIONS).map((s) => [s.name, s as ActionSchema] as const))('%s declares only ECs of the table, for its own rows', (name, schema) => {
    const own = new Set(EC_TABLE.filter((r) => r.action === name || (name === 'watermark' && r.param === 'P')).map((r) => r.ec))
    const declared = [
      ...Object.values(schema.params).flatMap(ecsOf),
      ...(schema.bare ? ecsOf(schema.bare) : []),
      ...(schema.bareAlias ? [schema.bareAlias.ec] : []),
      ...(schema.whenEmpty ? [schema.whenEmpty.ec] : [])
    ]
    for (const ec of declared) expect(own, `${name} ${ec}`).toContain(ec)
  })

  it('gives every documented parameter of every action a row (ignore-error, info and average-hue have none)', () => {
    for (const schema of Object.values(ACTIONS) as ActionSchema[]) {
      if (schema.name === 'ignore-error') continue
      for (const param of [...Object.keys(schema.params), ...(schema.bare ? ['value'] : [])]) {
        expect(EC_TABLE.some((r) => r.action === schema.name && r.param === param), `${schema.name} ${param}`).toBe(true)
      }
    }
  })
})

describe('docs/error-codes.md', () => {
  it('is the table rendered (UPDATE_DOCS=1 rewrites it)', () => {
    const rendered = renderErrorCodeDoc()
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, rendered)
    expect(readFileSync(DOC, 'utf8')).toBe(rendered)
  })
})
