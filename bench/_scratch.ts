import { rmSync } from 'node:fs'
import { makeSourceJpeg } from './image'
import { median } from './stats'
import { engine, handMulti, MULTI_PROCESS } from './variants'
const { bytes, dir } = await makeSourceJpeg()
rmSync(dir, { recursive: true })
const E = (b: Buffer) => engine(b, MULTI_PROCESS)
const P = (b: Buffer) => handMulti(b, [4])
const every = (b: Buffer) => handMulti(b, [1, 2, 3, 4])
const one = (b: Buffer) => handMulti(b, [])
const t: Record<string, number[]> = {}
const time = async (k: string, f: (b: Buffer) => Promise<Buffer>) => { const b = Buffer.from(bytes); const t0 = performance.now(); await f(b); (t[k] ??= []).push(performance.now() - t0) }
for (let r = 0; r < 30; r++) {
  await every(Buffer.from(bytes)); await time('engine after every', E)
  await every(Buffer.from(bytes)); await time('planned after every', P)
  await one(Buffer.from(bytes)); await time('engine after one', E)
  await one(Buffer.from(bytes)); await time('planned after one', P)
  await E(Buffer.from(bytes)); await time('engine after engine', E)
  await P(Buffer.from(bytes)); await time('planned after planned', P)
}
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(24), median(v.slice(3)).toFixed(1))
