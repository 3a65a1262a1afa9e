/**
 * A token diff of two process strings, for "local vs bucket" in the sync view. Tokens are the
 * parts between `/` and `,` (an action name, one parameter), separators kept as their own tokens
 * so the two sides render back to their exact text:
 *
 *   diffProcess('image/resize,w_100', 'image/resize,w_200')
 *   // left:  image / resize , [w_100]     right: image / resize , [w_200]
 */

export interface DiffPart {
  readonly text: string
  /** Not in the other side's string (separators are never marked). */
  readonly changed: boolean
  /** `/`, `,` or `|`: where a long string may wrap. */
  readonly separator: boolean
}

export interface ProcessDiff {
  readonly left: readonly DiffPart[]
  readonly right: readonly DiffPart[]
}

export function tokenizeProcess(process: string): string[] {
  return process.split(/([/,|])/).filter((t) => t !== '')
}

const isSeparator = (token: string) => token === '/' || token === ',' || token === '|'

/** Longest common subsequence of the two token lists; marks everything outside it. */
export function diffProcess(left: string, right: string): ProcessDiff {
  const a = tokenizeProcess(left)
  const b = tokenizeProcess(right)
  // lengths[i][j] = LCS length of a[i..] and b[j..] (process strings are short: O(n·m) is fine).
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!)
    }
  }
  const keepA = new Array<boolean>(a.length).fill(false)
  const keepB = new Array<boolean>(b.length).fill(false)
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      keepA[i++] = true
      keepB[j++] = true
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++
    else j++
  }
  const parts = (tokens: string[], keep: boolean[]) => tokens.map((text, i) => ({ text, changed: !keep[i] && !isSeparator(text), separator: isSeparator(text) }))
  return { left: parts(a, keepA), right: parts(b, keepB) }
}
