// Loaded with `node --require` into every measured Node process (ours and the baselines alike): at
// exit it writes the process's own resource usage as one JSON line to file descriptor 3, which the
// benchmark opened as a pipe. No other tool is needed, and the hook costs every variant the same.
const { writeSync } = require('node:fs')

process.on('exit', () => {
  const usage = process.resourceUsage()
  try {
    writeSync(3, `${JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime })}\n`)
  } catch {
    // Not started by the benchmark (no descriptor 3): nothing to report.
  }
})
