import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { onPath, planProvision } from '../../../scripts/provision.mjs'

describe('planProvision (issue 16: two commands on a fresh machine)', () => {
  it('does nothing when every tool is present', () => {
    expect(planProvision({ target: 'test', missing: [], isRoot: false, hasSudo: false, hasApt: true })).toEqual({ action: 'none' })
  })

  it('installs the missing tools’ packages with apt as root', () => {
    expect(planProvision({ target: 'test', missing: ['chromium', 'heif-enc'], isRoot: true, hasSudo: false, hasApt: true })).toEqual({
      action: 'install',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'libheif-examples']
      ]
    })
  })

  it('installs only what is missing, through non-interactive sudo when not root', () => {
    const plan = planProvision({ target: 'test', missing: ['heif-enc'], isRoot: false, hasSudo: true, hasApt: true })
    expect(plan).toEqual({
      action: 'install',
      commands: [
        ['sudo', '-n', 'apt-get', 'update', '-qq'],
        ['sudo', '-n', 'apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', 'libheif-examples']
      ]
    })
  })

  it('stops npm test with the one command to run when neither root nor sudo', () => {
    const plan = planProvision({ target: 'test', missing: ['chromium'], isRoot: false, hasSudo: false, hasApt: true })
    expect(plan.action).toBe('stop')
    if (plan.action !== 'stop') return
    expect(plan.command).toBe('sudo apt-get install -y --no-install-recommends chromium')
    expect(plan.message).toContain(plan.command)
    expect(plan.message).toContain('npm test needs chromium')
  })

  it('only warns for npm start (heif-enc is optional there: AV1-in-HEIF without it)', () => {
    const plan = planProvision({ target: 'start', missing: ['heif-enc'], isRoot: false, hasSudo: false, hasApt: true })
    expect(plan).toMatchObject({ action: 'warn', command: 'sudo apt-get install -y --no-install-recommends libheif-examples' })
  })

  it('names the packages when there is no apt-get', () => {
    const plan = planProvision({ target: 'test', missing: ['chromium', 'heif-enc'], isRoot: true, hasSudo: false, hasApt: false })
    expect(plan.action).toBe('stop')
    if (plan.action === 'stop') expect(plan.message).toContain('chromium, libheif-examples')
  })
})

describe('onPath', () => {
  it('finds executables on PATH and ignores non-executable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-'))
    writeFileSync(join(dir, 'tool-x'), '#!/bin/sh\n')
    chmodSync(join(dir, 'tool-x'), 0o755)
    writeFileSync(join(dir, 'plain'), 'data')
    expect(onPath('tool-x', { PATH: dir })).toBe(true)
    expect(onPath('plain', { PATH: dir })).toBe(false)
    expect(onPath('absent', { PATH: dir })).toBe(false)
    expect(onPath(join(dir, 'tool-x'), { PATH: '' })).toBe(true)
  })
})
