import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Journal, JobError, readJournal, resolveSpec, type JobSpec } from '../../../src-main/services/jobs'
import { tempDir } from './helpers'

async function spec(conflict: 'skip-existing' | 'overwrite' = 'skip-existing'): Promise<JobSpec> {
  return resolveSpec({ source: { kind: 'folder', dir: '/tmp/in' }, styles: [{ process: 'image/resize,w_10', label: 's' }], target: { kind: 'folder', dir: '/tmp/out' }, template: '{name}.jpg', conflict })
}
const at = '2026-01-01T00:00:00.000Z'

describe('journal', () => {
  it('writes the header first, appends durably and replays the latest state per item', async () => {
    const path = join(tempDir(), 'job.jsonl')
    const s = await spec()
    const { journal, created } = await Journal.open(path, s, { id: 'job-1', meta: { profile: 'p' } })
    expect(created).toBe(true)
    await journal.append({ t: 'run', n: 1, at, retryFailed: false, total: 3, items: 3 })
    await Promise.all([
      journal.append({ t: 'start', item: 's:a', attempt: 1, at, target: 'a.jpg', absent: true }),
      journal.append({ t: 'start', item: 's:b', attempt: 1, at, target: 'b.jpg' }),
      journal.append({ t: 'start', item: 's:c', attempt: 1, at, target: 'c.jpg' })
    ])
    await journal.append({ t: 'done', item: 's:b', attempt: 1, at, bytes: 10 })
    await journal.append({ t: 'failed', item: 's:c', attempt: 1, at, target: 'c.jpg', error: { status: 404, code: 'NoSuchKey', ec: '0040-00000024', message: 'm', retryable: false } })
    await journal.close()
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string })
    expect(lines[0]).toMatchObject({ t: 'job', v: 1, id: 'job-1', meta: { profile: 'p' } })
    expect(lines.map((l) => l.t)).toEqual(['job', 'run', 'start', 'start', 'start', 'done', 'failed'])
    const replay = (await readJournal(path))!
    expect(replay.runs).toBe(1)
    expect(replay.openRun).toBe(true)
    expect(replay.items.get('s:a')).toMatchObject({ status: 'started', absent: true, attempts: 1, target: 'a.jpg' })
    expect(replay.items.get('s:b')).toMatchObject({ status: 'done', bytes: 10, target: 'b.jpg' })
    expect(replay.items.get('s:c')).toMatchObject({ status: 'failed', error: { ec: '0040-00000024' } })
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('cuts a torn last line on reopen and appends after it', async () => {
    const path = join(tempDir(), 'job.jsonl')
    const s = await spec()
    const first = await Journal.open(path, s, { id: 'j' })
    await first.journal.append({ t: 'start', item: 's:a', attempt: 1, at, target: 'a.jpg' })
    await first.journal.close()
    appendFileSync(path, '{"t":"done","item":"s:a","att')
    const again = await Journal.open(path, s, { id: 'ignored' })
    expect(again.created).toBe(false)
    expect(again.replay.header.id).toBe('j')
    expect(again.index.state('s:a')?.status).toBe('started')
    await again.journal.append({ t: 'done', item: 's:a', attempt: 1, at })
    await again.journal.close()
    expect((await readJournal(path))!.items.get('s:a')?.status).toBe('done')
    expect(readFileSync(path, 'utf8')).not.toContain('"att\n')
  })

  it('refuses damage before the last line, another spec, and a journal in use', async () => {
    const dir = tempDir()
    const s = await spec()
    const path = join(dir, 'job.jsonl')
    const { journal } = await Journal.open(path, s, { id: 'j' })
    await expect(Journal.open(path, s, { id: 'j' })).rejects.toMatchObject({ code: 'InvalidState' })
    await journal.append({ t: 'start', item: 's:a', attempt: 1, at, target: 'a.jpg' })
    await journal.close()

    const other = await Journal.open(path, await spec('overwrite'), { id: 'x' }).catch((e: unknown) => e)
    expect(other).toBeInstanceOf(JobError)
    expect((other as JobError).code).toBe('SpecMismatch')
    expect((other as JobError).message).toContain('conflict')

    const damaged = join(dir, 'damaged.jsonl')
    const text = readFileSync(path, 'utf8').split('\n')
    writeFileSync(damaged, [text[0], 'garbage', text[1], ''].join('\n'))
    await expect(Journal.open(damaged, s, { id: 'j' })).rejects.toMatchObject({ code: 'JournalCorrupt' })
    writeFileSync(join(dir, 'not-a-journal.jsonl'), '{"hello":1}\n')
    await expect(Journal.open(join(dir, 'not-a-journal.jsonl'), s, { id: 'j' })).rejects.toMatchObject({ code: 'JournalCorrupt' })
  })

  it('takes over the lock of a process that is gone', async () => {
    const path = join(tempDir(), 'job.jsonl')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    writeFileSync(`${path}.lock`, dead)
    const { journal } = await Journal.open(path, await spec(), { id: 'j' })
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid))
    await journal.close()
  })

  it('group-commits concurrent appends without losing or tearing any', async () => {
    const path = join(tempDir(), 'job.jsonl')
    const { journal } = await Journal.open(path, await spec(), { id: 'j' })
    await Promise.all(Array.from({ length: 2000 }, (_, i) => journal.append({ t: 'start', item: `s:${i}`, attempt: 1, at, target: `${i}.jpg` })))
    await journal.close()
    const replay = (await readJournal(path))!
    expect(replay.items.size).toBe(2000)
  })

  it('keeps an on-disk index that a reopen catches up from its offset, without replaying what it has', async () => {
    const path = join(tempDir(), 'job.jsonl')
    const s = await spec()
    const first = await Journal.open(path, s, { id: 'j' })
    await first.journal.append({ t: 'run', n: 1, at, retryFailed: false, total: 3, items: 3 })
    await first.journal.append({ t: 'start', item: 's:a', attempt: 1, at, target: 'a.jpg', absent: true })
    await first.journal.append({ t: 'done', item: 's:a', attempt: 1, at, bytes: 7 })
    await first.journal.close()
    // As after kill -9 between the journal's fsync and the index commit: lines the index has not seen.
    appendFileSync(path, `${JSON.stringify({ t: 'start', item: 's:b', attempt: 1, at, target: 'b.jpg' })}\n${JSON.stringify({ t: 'failed', item: 's:b', attempt: 1, at, target: 'b.jpg', error: { status: 404, code: 'NoSuchKey', message: 'm', retryable: false } })}\n`)
    // The part the index already holds is not read again: damage there goes unnoticed by a reopen.
    const text = readFileSync(path, 'utf8')
    const done = text.indexOf('"bytes":7')
    writeFileSync(path, `${text.slice(0, done)}"bytes":8${text.slice(done + 9)}`)
    const again = await Journal.open(path, s, { id: 'x' })
    expect(again.index.state('s:a')).toMatchObject({ status: 'done', bytes: 7 })
    expect(again.index.state('s:b')).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'NoSuchKey' } })
    expect(again.replay).toMatchObject({ runs: 1, total: 3, openRun: true })
    expect(Number(again.index.meta('offset'))).toBe(statSync(path).size)
    await again.journal.close()
    // A lost index is rebuilt from the whole journal (which now says 8).
    rmSync(Journal.indexPath(path))
    const rebuilt = await Journal.open(path, s, { id: 'x' })
    expect(rebuilt.index.state('s:a')).toMatchObject({ status: 'done', bytes: 8 })
    expect(rebuilt.index.state('s:b')?.status).toBe('failed')
    await rebuilt.journal.close()
  })
})
