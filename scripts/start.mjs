// `npm start`: builds when needed, then runs the studio. Until the app shell lands (browser
// mode and the Electron window), this prints the `oss-img` CLI's help and runs CLI commands:
// `npm start -- process in.jpg -p "image/resize,w_100" -o out.jpg`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const cli = 'out/main/cli.js'
if (!existsSync(cli)) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}
const args = process.argv.slice(2)
const run = spawnSync(process.execPath, [cli, ...(args.length > 0 ? args : ['--help'])], { stdio: 'inherit' })
process.exit(run.status ?? 1)
