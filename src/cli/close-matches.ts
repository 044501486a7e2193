/**
 * Python's difflib.get_close_matches(word, possibilities, n=3, cutoff=0.8), which the AWS CLI uses for
 * "maybe you meant" suggestions: Ratcliff/Obershelp similarity, best first, ties by the later string.
 */
export function closeMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.8): string[] {
  return possibilities
    .map((p) => ({ p, score: ratio(p, word) }))
    .filter((m) => m.score >= cutoff)
    .sort((x, y) => y.score - x.score || (x.p < y.p ? 1 : x.p > y.p ? -1 : 0))
    .slice(0, n)
    .map((m) => m.p)
}

/** SequenceMatcher(None, a, b).ratio(): 2 * matched characters / total characters. */
export function ratio(a: string, b: string): number {
  const total = a.length + b.length
  return total === 0 ? 1 : (2 * matched(a, b, 0, a.length, 0, b.length)) / total
}

/** Characters in matching blocks: the longest common run, then recursively either side of it. */
function matched(a: string, b: string, alo: number, ahi: number, blo: number, bhi: number): number {
  let besti = alo
  let bestj = blo
  let best = 0
  let lengths = new Map<number, number>()
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>()
    for (let j = blo; j < bhi; j++) {
      if (a[i] !== b[j]) continue
      const k = (lengths.get(j - 1) ?? 0) + 1
      next.set(j, k)
      if (k > best) {
        besti = i - k + 1
        bestj = j - k + 1
        best = k
      }
    }
    lengths = next
  }
  if (best === 0) return 0
  return best + matched(a, b, alo, besti, blo, bestj) + matched(a, b, besti + best, ahi, bestj + best, bhi)
}
