/**
 * services/links checks against a local HTTP server: a ranged GET per URL (`Range: bytes=0-0`), at
 * most `concurrency` in flight, progress per URL, sizes from Content-Range, OSS's Code and Message
 * from an error body, and status -1 when nothing answers.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkLink, checkLinks } from '../../../src-main/services/links'

let server: Server
let base: string
let inFlight = 0
let peak = 0
const ranges: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight += 1
    peak = Math.max(peak, inFlight)
    ranges.push(req.headers.range ?? '')
    // Each answer waits for the next tick of the event loop, so requests overlap when allowed to.
    setImmediate(() => {
      inFlight -= 1
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'Content-Type': 'application/xml' })
        res.end('<?xml version="1.0"?><Error><Code>NoSuchStyle</Code><Message>The specified style does not exist.</Message></Error>')
      } else {
        res.writeHead(206, { 'Content-Type': 'image/webp', 'Content-Range': 'bytes 0-0/12345', 'Content-Length': 1 })
        res.end('x')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

describe('checkLinks', () => {
  it('ranged GETs, bounded concurrency, results in input order, progress per URL', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => `${base}/${i % 4 === 3 ? 'missing' : 'ok'}/${i}`)
    const progress: number[] = []
    peak = 0
    const checks = await checkLinks(urls, { concurrency: 3, onChecked: (_, __, done) => progress.push(done) })
    expect(peak).toBeLessThanOrEqual(3)
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(ranges.slice(-12).every((r) => r === 'bytes=0-0')).toBe(true)
    expect(checks[0]).toEqual({ status: 206, contentType: 'image/webp', bytes: 12345 })
    expect(checks[3]).toMatchObject({ status: 404, code: 'NoSuchStyle', message: 'The specified style does not exist.' })
    expect(checks.filter((c) => c.status === 404)).toHaveLength(3)
  })

  it('no answer → status -1 NetworkError; an abort stops the run', async () => {
    expect(await checkLink('http://127.0.0.1:1/nothing')).toMatchObject({ status: -1, code: 'NetworkError' })
    const controller = new AbortController()
    controller.abort()
    await expect(checkLinks([`${base}/ok/1`], { signal: controller.signal })).rejects.toThrow()
  })
})
