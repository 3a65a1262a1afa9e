/**
 * Per-key promise queues: work on one key runs one at a time, in call order; different keys run
 * concurrently. Module-level, so every library instance in this process on the same data dir
 * shares them (keys are absolute file paths). Not a cross-process lock.
 */

const tails = new Map<string, Promise<void>>()

function acquire(key: string): Promise<() => void> {
  const previous = tails.get(key) ?? Promise.resolve()
  let release!: () => void
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const tail = previous.then(() => held)
  tails.set(key, tail)
  return previous.then(() => () => {
    release()
    if (tails.get(key) === tail) tails.delete(key)
  })
}

/**
 * Runs `fn` holding every key. Keys are taken in sorted order, so two callers wanting the same
 * keys (a rename a→b and one b→a) cannot deadlock.
 */
export async function withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const releases: (() => void)[] = []
  try {
    for (const key of [...new Set(keys)].sort()) releases.push(await acquire(key))
    return await fn()
  } finally {
    for (const release of releases.reverse()) release()
  }
}
