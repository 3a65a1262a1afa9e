/**
 * Requests Node's HTTP parser refuses are answered, not dropped: 400 for malformed requests, 431
 * for oversized headers, 414 for an oversized request target, each with OSS's XML error body and
 * `Connection: close`. A fuzz run (random request lines, headers, encodings, truncated bodies)
 * checks every connection gets a well-formed response or a clean close after one, and that the
 * server keeps serving.
 */
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, removeDir, tempRoot } from './helpers'

interface Exchange {
  /** Everything the server sent before closing. */
  text: string
  /** The connection ended with a reset instead of a close. */
  reset: boolean
}

function exchange(port: number, payload: Buffer | string, halfClose = true): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(payload)
      if (halfClose) socket.end()
    })
    const chunks: Buffer[] = []
    let reset = false
    socket.setTimeout(10_000, () => socket.destroy())
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', (error: NodeJS.ErrnoException) => (reset = error.code === 'ECONNRESET' || error.code === 'EPIPE' ? true : reset))
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), reset }))
  })
}

const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/

describe('answers what the HTTP parser refuses', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['fuzz-bucket'] })
    oss = client(sandbox, 'fuzz-bucket')
    await oss.put('alive.txt', Buffer.from('alive'))
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('400 InvalidRequest for a garbage request line, with the OSS XML body', async () => {
    const { text, reset } = await exchange(sandbox.port, 'GARBAGE\r\n\r\n')
    expect(reset).toBe(false)
    expect(STATUS_LINE.exec(text)?.[1]).toBe('400')
    expect(text).toMatch(/\r\nConnection: close\r\n/i)
    expect(errorFields(text)).toMatchObject({ Code: 'InvalidRequest' })
    expect(text).toMatch(/\r\nx-oss-request-id: [0-9A-F]{24}\r\n/)
  })

  it('431 for a 100 KB header, 414 for a 96 KB x-oss-process query', async () => {
    const header = await exchange(sandbox.port, `GET /fuzz-bucket/alive.txt HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`)
    expect(STATUS_LINE.exec(header.text)?.[1]).toBe('431')
    expect(errorFields(header.text).Code).toBe('RequestHeaderFieldsTooLarge')
    const target = await exchange(sandbox.port, `GET /fuzz-bucket/alive.txt?x-oss-process=image/${'resize,w_1/'.repeat(9000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`)
    expect(STATUS_LINE.exec(target.text)?.[1]).toBe('414')
    expect(errorFields(target.text).Code).toBe('InvalidArgument')
  })

  it('fuzz: every connection gets a well-formed response (or a clean close after one); the server keeps serving', async () => {
    const methods = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE', 'G\u0000T', '', 'GET GET', 'PATCH', '\u00ff\u00fe']
    const paths = ['/', '/fuzz-bucket/alive.txt', '/fuzz-bucket/%zz', '*', 'http://x/', '/fuzz-bucket/a b', '/\u0001', '']
    const versions = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1x', '']
    const headers = [
      'Host: localhost',
      'Content-Length: 5',
      'Content-Length: -1',
      'Content-Length: 5\r\nContent-Length: 6',
      'Transfer-Encoding: chunked',
      'Transfer-Encoding: gzip, chunked',
      'Transfer-Encoding: bogus',
      'Bad Header: x',
      ': empty-name',
      'X-Obs: \u0000',
      'Authorization: OSS a:b',
      'Expect: 100-continue'
    ]
    const bodies = ['', 'abc', '5\r\nabc', '3\r\nabc\r\n0\r\n\r\n', 'zz\r\n', randomBytes(64).toString('latin1')]
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T
    const runs = Array.from({ length: 120 }, () => {
      const lines = [`${pick(methods)} ${pick(paths)} ${pick(versions)}`]
      for (let i = Math.floor(Math.random() * 4); i > 0; i--) lines.push(pick(headers))
      const payload = `${lines.join('\r\n')}\r\n\r\n${pick(bodies)}`
      // Sometimes a truncated request: cut anywhere.
      return Math.random() < 0.3 ? payload.slice(0, Math.floor(Math.random() * payload.length)) : payload
    })
    for (const payload of runs) {
      const { text, reset } = await exchange(sandbox.port, Buffer.from(payload, 'latin1'))
      if (text === '') {
        // Nothing complete was sent: a clean close, never a reset.
        expect(reset, JSON.stringify(payload)).toBe(false)
        continue
      }
      const status = STATUS_LINE.exec(text)
      expect(status, JSON.stringify(payload)).not.toBeNull()
      if (Number(status?.[1]) >= 400 && !/^HEAD /.test(payload)) expect(errorFields(text).Code, JSON.stringify(payload)).toBeTruthy()
    }
    expect((await oss.get('alive.txt')).content.toString()).toBe('alive')
  }, 120_000)
})
