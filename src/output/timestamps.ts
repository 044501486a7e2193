import { PreciseDate } from '../registry/precise-date.js'
import { localZone } from './local-zone.js'

/**
 * AWS CLI v2 timestamp rendering (cli_timestamp_format = iso8601, the default):
 * datetime.fromtimestamp(epoch, tzlocal()).isoformat() — local wall time of the machine's zone (TZ) as
 * dateutil's tzlocal() sees it (local-zone.ts), a 6-digit fraction only when the microsecond is not
 * zero, and the offset as +HH:MM, +HH:MM:SS when it has seconds (never 'Z').
 */
export function isoTimestamp(value: Date | number | string): string {
  const epochSeconds =
    typeof value === 'number' ? value : value instanceof PreciseDate ? value.epochSeconds : (value instanceof Date ? value : new Date(value)).getTime() / 1000
  // Python's fromtimestamp: split into integer seconds and a fraction rounded half-even to microseconds.
  let seconds = Math.trunc(epochSeconds)
  let micros = roundHalfEven((epochSeconds - seconds) * 1e6)
  if (micros >= 1_000_000) {
    seconds += 1
    micros -= 1_000_000
  } else if (micros < 0) {
    seconds -= 1
    micros += 1_000_000
  }
  const offset = localZone().offsetAt(seconds)
  const local = new Date((seconds + offset) * 1000)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  const fraction = micros === 0 ? '' : `.${pad(micros, 6)}`
  const offsetText = `${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}${abs % 60 === 0 ? '' : `:${pad(abs % 60)}`}`
  return `${date}T${time}${fraction}${sign}${offsetText}`
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x)
  const diff = x - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
