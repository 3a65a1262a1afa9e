/**
 * `oss-img sandbox`: run the local OSS sandbox (src-main/sandbox) in the foreground. Prints one
 * JSON line on stdout once it listens — `{"endpoint","buckets","accessKeyId"}`, plus
 * `"accessKeySecret"` when the secret was generated (otherwise nobody could sign) — and human
 * notes on stderr; stops cleanly on SIGINT/SIGTERM.
 */
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isStyleDelimiter, MAX_PROTECTION_RULES, parseProtectionRule, STYLE_DELIMITERS } from '../../src-shared/model/image-settings'
import { demoBucket, startSandbox, type BucketSpec, type FaultOptions } from '../sandbox'
import { isValidBucketName } from '../sandbox/names'
import { BUCKET_ACLS, type BucketAcl } from '../sandbox/storage'
import { SANDBOX_HELP } from './sandbox-help'
import { fileError, isFsError } from '../util/file-errors'
import { UsageError } from './usage-error'


function number(name: string, text: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} expects ${expected}, got ${JSON.stringify(text)}`)
  return value
}

/** No buckets yet: the folder is missing or holds nothing but a stale lock file. */
async function isEmptyDataDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).every((name) => name === '.sandbox.lock')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolvePromise) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolvePromise(signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        bucket: { type: 'string', multiple: true },
        acl: { type: 'string' },
        'source-protection': { type: 'boolean' },
        'protect-rule': { type: 'string', multiple: true },
        'protect-ignore-case': { type: 'boolean' },
        'style-delimiter': { type: 'string' },
        'access-key-id': { type: 'string' },
        'access-key-secret': { type: 'string' },
        'fail-rate': { type: 'string' },
        'latency-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new UsageError(`sandbox: ${(error as Error).message}`)
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(SANDBOX_HELP)
    return 0
  }
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer between 0 and 65535') ?? 0
  const failRate = number('fail-rate', values['fail-rate'], (n) => n >= 0 && n <= 1, 'a number between 0 and 1')
  const latencyMs = number('latency-ms', values['latency-ms'], (n) => n >= 0, 'a non-negative number of milliseconds')
  if (values.acl !== undefined && !(BUCKET_ACLS as readonly string[]).includes(values.acl)) {
    throw new UsageError(`--acl expects one of ${BUCKET_ACLS.join(', ')}, got ${JSON.stringify(values.acl)}`)
  }
  for (const name of values.bucket ?? []) {
    if (!isValidBucketName(name)) throw new UsageError(`--bucket ${JSON.stringify(name)} is not a valid bucket name (3-63 of a-z, 0-9 and "-", starting and ending alphanumeric)`)
  }
  if (values['access-key-id'] === '' || values['access-key-secret'] === '') throw new UsageError('--access-key-id and --access-key-secret must not be empty')

  const delimiter = values['style-delimiter']
  if (delimiter !== undefined && !isStyleDelimiter(delimiter)) throw new UsageError(`--style-delimiter expects one of ${STYLE_DELIMITERS.join(' ')}, got ${JSON.stringify(delimiter)}`)
  const rules = (values['protect-rule'] ?? []).map((pattern) => {
    try {
      return parseProtectionRule(pattern)
    } catch (error) {
      throw new UsageError(`--protect-rule: ${(error as Error).message}`)
    }
  })
  if (rules.length > MAX_PROTECTION_RULES) throw new UsageError(`--protect-rule: at most ${MAX_PROTECTION_RULES} rules, got ${rules.length}`)

  const dataDir = values.data !== undefined ? resolve(values.data) : await mkdtemp(join(tmpdir(), 'oss-img-sandbox-'))
  // A rule or --protect-ignore-case implies --source-protection.
  const protection = values['source-protection'] === true || rules.length > 0 || values['protect-ignore-case'] === true
  const settings: Pick<BucketSpec, 'acl' | 'sourceProtection' | 'protectionRules' | 'protectionIgnoreCase' | 'styleDelimiter'> = {
    ...(values.acl !== undefined ? { acl: values.acl as BucketAcl } : {}),
    ...(protection ? { sourceProtection: true, protectionRules: rules, protectionIgnoreCase: values['protect-ignore-case'] === true } : {}),
    ...(delimiter !== undefined ? { styleDelimiter: delimiter } : {})
  }
  // A data folder that cannot be used is one sentence about the folder the user gave (`--data`).
  const aboutData = (error: unknown) => (isFsError(error) ? fileError(error, 'use the data folder', values.data ?? dataDir) : error)
  let buckets: BucketSpec[] = []
  if (values.bucket && values.bucket.length > 0) buckets = values.bucket.map((name) => ({ name, ...settings }))
  else if (await isEmptyDataDir(dataDir).catch((error: unknown) => Promise.reject(aboutData(error)))) buckets = [demoBucket(settings)]
  else if (Object.keys(settings).length > 0) throw new UsageError('--acl, --source-protection, --protect-rule and --style-delimiter apply to the --bucket buckets (or the demo bucket of a new data folder): name them with --bucket')

  const faults: FaultOptions = { ...(failRate !== undefined ? { failRate } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}) }
  const sandbox = await startSandbox({
    dataDir,
    port,
    buckets,
    ...(values['access-key-id'] !== undefined ? { accessKeyId: values['access-key-id'] } : {}),
    ...(values['access-key-secret'] !== undefined ? { accessKeySecret: values['access-key-secret'] } : {}),
    ...(Object.keys(faults).length > 0 ? { faults } : {})
  }).catch((error: unknown) => Promise.reject(aboutData(error)))
  const stopped = waitForSignal()
  const ready = {
    endpoint: sandbox.endpoint,
    buckets: [...sandbox.buckets],
    accessKeyId: sandbox.accessKeyId,
    ...(values['access-key-secret'] === undefined ? { accessKeySecret: sandbox.accessKeySecret } : {})
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`)
  process.stderr.write(`oss-img sandbox: ${sandbox.endpoint} serving ${dataDir} (buckets: ${ready.buckets.join(', ') || 'none'}); Ctrl-C to stop\n`)
  const signal = await stopped
  process.stderr.write(`oss-img sandbox: ${signal}, stopping\n`)
  await sandbox.close()
  return 0
}
