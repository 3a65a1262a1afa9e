/** The preview's caches: least-recently-used maps bounded by entries and by bytes. */
/** A Map in recency order, bounded by entry count and by a total cost (bytes). */
export class Lru<V> {
  private readonly map = new Map<string, { value: V; cost: number }>()
  private total = 0

  constructor(
    readonly maxEntries: number,
    readonly maxCost: number
  ) {}

  get size(): number {
    return this.map.size
  }

  get cost(): number {
    return this.total
  }

  get(key: string): V | undefined {
    const hit = this.map.get(key)
    if (!hit) return undefined
    this.map.delete(key)
    this.map.set(key, hit)
    return hit.value
  }

  peek(key: string): V | undefined {
    return this.map.get(key)?.value
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  /** Adds or replaces; then evicts the least recently used entries over the budgets (never the new one). */
  set(key: string, value: V, cost = 0): void {
    this.delete(key)
    this.map.set(key, { value, cost })
    this.total += cost
    for (const [oldest, entry] of this.map) {
      if (this.map.size <= this.maxEntries && this.total <= this.maxCost) break
      if (oldest === key) break
      this.map.delete(oldest)
      this.total -= entry.cost
    }
  }

  /** Updates an entry's cost in place (e.g. once a lazily built part is known). */
  setCost(key: string, cost: number): void {
    const entry = this.map.get(key)
    if (!entry) return
    this.total += cost - entry.cost
    entry.cost = cost
  }

  delete(key: string): boolean {
    const entry = this.map.get(key)
    if (!entry) return false
    this.map.delete(key)
    this.total -= entry.cost
    return true
  }

  clear(): void {
    this.map.clear()
    this.total = 0
  }

  keys(): string[] {
    return [...this.map.keys()]
  }
}
