/**
 * Peak-RSS probe: runs one in-process variant in a fresh Node process and prints one JSON line.
 *
 * - `maxRssKiB`: `process.resourceUsage().maxRSS` at the end — the whole process's peak, startup
 *   included. Under `--import tsx` startup alone peaks near 120–150 MiB (the TypeScript loader), which
 *   hides what the image work needs, so the probe also measures:
 * - `workPeakKiB` / `startRssKiB`: on Linux the peak is reset (`/proc/self/clear_refs` ← 5) once the
 *   modules are loaded and the source is read; VmHWM at the end is then the peak during the work
 *   alone, and `workPeakKiB − startRssKiB` is what the work added on top of the loaded process.
 *
 * `baseline` loads the same modules and reads the source but processes nothing.
 *
 *   node --import tsx bench/child.ts <variant-id|baseline> <source.jpg> <iterations>
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { MULTI_PROCESS, plannedSegments, variants } from './variants'

function statusKiB(field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

async function main(): Promise<void> {
  const [id, source, iterationsText] = process.argv.slice(2)
  if (!id || !source || !iterationsText) throw new Error('usage: child.ts <variant-id|baseline> <source.jpg> <iterations>')
  const bytes = readFileSync(source)
  const iterations = Number(iterationsText)
  const variant = id === 'baseline' ? undefined : variants(plannedSegments(MULTI_PROCESS).cuts).find((v) => v.id === id)
  if (id !== 'baseline' && !variant) throw new Error(`unknown variant ${id}`)
  const reset = resetPeak()
  const startRssKiB = statusKiB('VmRSS')
  let outputBytes = 0
  // A fresh input Buffer per image, as in the timing loops.
  if (variant) for (let i = 0; i < iterations; i++) outputBytes = (await variant.run(Buffer.from(bytes))).length
  const workPeakKiB = reset ? statusKiB('VmHWM') : undefined
  const result = { id, iterations: variant ? iterations : 0, outputBytes, maxRssKiB: process.resourceUsage().maxRSS, startRssKiB, workPeakKiB }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`)
  process.exitCode = 1
})
