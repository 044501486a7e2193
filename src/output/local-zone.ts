import { existsSync } from 'node:fs'

/**
 * The local zone as the AWS CLI sees it: dateutil's tzlocal(), which knows two offsets only — the
 * standard and the daylight offset that CPython's time module computed at start-up from 1 January and
 * 1 July of the current year — and asks the C library (localtime's tm_isdst) which one applies at an
 * instant. So a date from before the zone's present rules gets today's standard offset (not local mean
 * time, as the tz database would give), and a POSIX TZ string (`XYZ-03:30`, `EST5EDT,M3.2.0,M11.1.0`),
 * which the C library reads and JavaScript does not, is honoured.
 */
export interface LocalZone {
  /** Seconds east of UTC at an instant (epoch seconds). */
  offsetAt(epochSeconds: number): number
}

const cache = new Map<string, LocalZone>()

export function localZone(tz: string | undefined = process.env.TZ): LocalZone {
  const key = tz ?? ''
  let zone = cache.get(key)
  if (zone === undefined) {
    zone = (tz !== undefined && posixZone(tz)) || tzlocal()
    cache.set(key, zone)
  }
  return zone
}

/** JavaScript's offset (tz database) at an instant, in seconds east. */
function jsOffset(epochSeconds: number): number {
  return -new Date(epochSeconds * 1000).getTimezoneOffset() * 60
}

/** CPython's init_timezone (glibc): std and dst offsets from 1 January and 1 July of this year. */
function tzlocal(): LocalZone {
  const YEAR = (365 * 24 + 6) * 3600
  const t = Math.floor(Date.now() / 1000 / YEAR) * YEAR
  const jan = jsOffset(t)
  const jul = jsOffset(t + YEAR / 2)
  // The smaller east offset is standard time (southern hemisphere included).
  const std = Math.min(jan, jul)
  const dst = Math.max(jan, jul)
  if (std === dst) return { offsetAt: () => std }
  return { offsetAt: (s) => (isDst(s) ? dst : std) }
}

/**
 * localtime()'s tm_isdst at an instant, from the tz database: daylight time is the larger of the year's
 * two offsets (1 January, 1 July) when the instant has it.
 */
function isDst(epochSeconds: number): boolean {
  const year = new Date(epochSeconds * 1000).getUTCFullYear()
  const jan = jsOffset(Date.UTC(year, 0, 1) / 1000)
  const jul = jsOffset(Date.UTC(year, 6, 1) / 1000)
  return jan !== jul && jsOffset(epochSeconds) === Math.max(jan, jul)
}

// ---------------------------------------------------------------------------------------------------
// POSIX TZ strings (glibc's tzset): std offset [dst [offset] [,rule,rule]], offsets west-positive.

const NAME = '(?:<[^>]+>|[A-Za-z]{3,})'
const OFFSET = '[+-]?\\d{1,3}(?::\\d{1,2}(?::\\d{1,2})?)?'
const POSIX = new RegExp(`^(${NAME})(${OFFSET})(?:(${NAME})(${OFFSET})?(?:,([^,]+),([^,]+))?)?$`)

function seconds(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1
  const [h = 0, m = 0, s = 0] = text.replace(/^[+-]/, '').split(':').map(Number)
  return sign * (h * 3600 + m * 60 + s)
}

function posixZone(tz: string): LocalZone | undefined {
  // A name the C library finds in the zone database is not read as a POSIX string.
  if (tz.startsWith(':') || existsSync(`/usr/share/zoneinfo/${tz}`)) return undefined
  const m = POSIX.exec(tz)
  if (!m) return undefined
  const std = -seconds(m[2])
  if (m[3] === undefined) return { offsetAt: () => std }
  // A daylight name without rules takes glibc's posixrules file, with its own shifting of the transitions:
  // not followed here (standard time throughout).
  if (m[5] === undefined) return { offsetAt: () => std }
  const dst = m[4] === undefined ? std + 3600 : -seconds(m[4])
  const [start, end] = [m[5], m[6]]
  return {
    offsetAt: (instant) => {
      // glibc computes the rules from 1970 on: an earlier instant gets the state of the epoch.
      const s = Math.max(instant, 0)
      const year = new Date((s + std) * 1000).getUTCFullYear()
      // Rule times are local: the start in standard time, the end in daylight time.
      const from = transition(start, year) - std
      const to = transition(end, year) - dst
      const inDst = from < to ? s >= from && s < to : !(s >= to && s < from)
      return inDst ? dst : std
    },
  }
}

/** A POSIX rule (`Mm.w.d`, `Jn`, `n`, each with an optional `/time`) as local seconds since the epoch. */
function transition(rule: string, year: number): number {
  const [date, time] = rule.split('/')
  const at = time === undefined ? 7200 : seconds(time)
  const day = 86400
  const yearStart = Date.UTC(year, 0, 1) / 1000
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const month = /^M(\d+)\.(\d)\.(\d)$/.exec(date)
  if (month) {
    const [m, w, d] = [Number(month[1]), Number(month[2]), Number(month[3])]
    const first = new Date(Date.UTC(year, m - 1, 1)).getUTCDay()
    let dayOfMonth = 1 + ((d - first + 7) % 7) + (w - 1) * 7
    const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate()
    while (dayOfMonth > daysInMonth) dayOfMonth -= 7
    return Date.UTC(year, m - 1, dayOfMonth) / 1000 + at
  }
  if (date.startsWith('J')) {
    // Jn: 1..365, February 29 never counted.
    const n = Number(date.slice(1))
    return yearStart + (n - 1 + (leap && n >= 60 ? 1 : 0)) * day + at
  }
  return yearStart + Number(date) * day + at
}
