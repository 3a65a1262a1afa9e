/**
 * The documented OSS examples (shared/conformance/oss-img-examples.json). The team's copy beside the
 * checkout wins when it is there; a clone on its own (CI) uses the copy kept in test/conformance,
 * which a test checks is the same as the team's whenever both exist.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const SHARED_EXAMPLES = fileURLToPath(new URL('../../../shared/conformance/oss-img-examples.json', import.meta.url))
export const VENDORED_EXAMPLES = fileURLToPath(new URL('../conformance/oss-img-examples.json', import.meta.url))

/** The examples as parsed JSON; callers describe the fields they use. */
export function loadConformanceExamples<T>(): T[] {
  return JSON.parse(readFileSync(existsSync(SHARED_EXAMPLES) ? SHARED_EXAMPLES : VENDORED_EXAMPLES, 'utf8')) as T[]
}
