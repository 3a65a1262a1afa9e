import { describe, expect, it } from 'vitest'
import { ACTIONS } from '../../src-shared/img/actions'
import { OPS } from '../../src-main/engine/ops'

describe('action registries', () => {
  it('declare and implement exactly the same OSS actions', () => {
    expect(Object.keys(OPS).sort()).toEqual(Object.keys(ACTIONS).sort())
  })

  it('key every schema and implementation by its own OSS name', () => {
    for (const [name, schema] of Object.entries(ACTIONS)) expect(schema.name).toBe(name)
    for (const [name, op] of Object.entries(OPS)) expect(op.action).toBe(name)
  })
})
