import { randomInt } from 'node:crypto'
import { CloudmapError } from '../../registry/errors.js'

/** What handlers need from outside: where they are, what time it is, and randomness (all injectable). */
export interface HandlerContext {
  region: string
  accountId: string
  now(): Date
  /** A uniformly random integer in [0, max). */
  random(max: number): number
  /**
   * Simulated latency of asynchronous operations, in milliseconds. 0 (the default): an operation is
   * SUCCESS at once and its effect visible immediately. Otherwise it is SUBMITTED, then PENDING from half
   * the delay, and its effect shows (status SUCCESS or FAIL) only once now() reaches CreateDate + delay.
   */
  operationDelayMs: number
}

export interface ContextOptions {
  region: string
  accountId: string
  /** Fixed clock (tests). */
  now?: () => Date
  /** Seed for reproducible ids and shuffles; combined with the registry's write sequence. */
  seed?: string
  /** Simulated latency of asynchronous operations in milliseconds (CLOUDMAP_OPERATION_DELAY_MS); default 0. */
  operationDelayMs?: number
}

/** Calls made through one registry's options in this process (a CLI process makes one). */
const calls = new WeakMap<ContextOptions, number>()

/** Count a call made through these options: 0 for the first of this process. */
export function nextCall(options: ContextOptions): number {
  const call = calls.get(options) ?? 0
  calls.set(options, call + 1)
  return call
}

/**
 * The context of one call. `call` comes from nextCall(options), once per call: a read that the store
 * retries (a write raced it) runs its handler again with the same call number.
 */
export function createContext(options: ContextOptions, sequence: number, call = nextCall(options)): HandlerContext {
  // A seeded registry is reproducible for a given sequence of calls: the seed is combined with the write
  // sequence of the file and, after the first call of a process, with the call count, so that repeated
  // reads (discover-instances) still shuffle differently as AWS does.
  const seed = call === 0 ? `${options.seed}:${sequence}` : `${options.seed}:${sequence}:${call}`
  const random = options.seed === undefined ? (max: number) => randomInt(max) : seededRandom(seed)
  const delay = options.operationDelayMs ?? 0
  if (!Number.isFinite(delay) || delay < 0) throw new CloudmapError('config', `The operation delay must be a non-negative number of milliseconds, not ${delay}.`)
  return { region: options.region, accountId: options.accountId, now: options.now ?? (() => new Date()), random, operationDelayMs: Math.floor(delay) }
}

/** sfc32 seeded from a string hash: small, fast and good enough for ids and shuffles in tests. */
export function seededRandom(seed: string): (max: number) => number {
  let h = 1779033703 ^ seed.length
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  const next32 = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507)
    h = Math.imul(h ^ (h >>> 13), 3266489909)
    return (h ^= h >>> 16) >>> 0
  }
  let a = next32(), b = next32(), c = next32(), d = next32()
  const sfc32 = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  return (max: number) => Math.floor(sfc32() * max)
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function randomString(ctx: HandlerContext, alphabet: string, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += alphabet[ctx.random(alphabet.length)]
  return s
}

/** AWS's id shapes: ns- and srv- followed by 16 lowercase alphanumerics. */
export function newResourceId(ctx: HandlerContext, prefix: 'ns' | 'srv'): string {
  return `${prefix}-${randomString(ctx, LOWER_ALNUM, 16)}`
}

/** Operation ids look like AWS's: 32 lowercase alphanumerics, '-', 8 more. */
export function newOperationId(ctx: HandlerContext): string {
  return `${randomString(ctx, LOWER_ALNUM, 32)}-${randomString(ctx, LOWER_ALNUM, 8)}`
}

/** Route 53 hosted zone ids: 'Z' and 20 uppercase alphanumerics. */
export function newHostedZoneId(ctx: HandlerContext): string {
  return `Z${randomString(ctx, UPPER_ALNUM, 20)}`
}

export function newRequestId(ctx: HandlerContext): string {
  const hex = randomString(ctx, '0123456789abcdef', 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[ctx.random(4)]}${hex.slice(17, 20)}-${hex.slice(20)}`
}

export function arn(ctx: HandlerContext, kind: 'namespace' | 'service', id: string): string {
  return `arn:aws:servicediscovery:${ctx.region}:${ctx.accountId}:${kind}/${id}`
}
