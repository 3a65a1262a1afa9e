// Loaded with `node --require` into every measured Node process (ours and the baselines alike): at
// exit it writes the process's own resource usage as one JSON line to file descriptor 3, which the
// benchmark opened as a pipe. No other tool is needed, and the hook costs every variant the same.
//
// Peak RSS comes from /proc/self/status VmHWM where Linux has it: getrusage's ru_maxrss is not reset
// by execve, so a child of a large benchmark process reports its parent's peak (every variant read
// the same 250 MB); VmHWM belongs to the new address space.
const { readFileSync, writeSync } = require('node:fs')

function peakRssKiB(usage) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1])
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return usage.maxRSS
}

process.on('exit', () => {
  const usage = process.resourceUsage()
  try {
    writeSync(3, `${JSON.stringify({ maxRssKiB: peakRssKiB(usage), userUs: usage.userCPUTime, systemUs: usage.systemCPUTime })}\n`)
  } catch {
    // Not started by the benchmark (no descriptor 3): nothing to report.
  }
})
