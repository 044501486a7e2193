import { PreciseDate } from '../registry/precise-date.js'

/**
 * AWS CLI v2 timestamp rendering (cli_timestamp_format = iso8601, the default):
 * datetime.fromtimestamp(epoch, tzlocal()).isoformat() — local wall time of the machine's zone (TZ),
 * a 6-digit fraction only when the microsecond is not zero, and the offset as +HH:MM (never 'Z').
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
  const local = new Date(seconds * 1000)
  const offsetMinutes = -local.getTimezoneOffset()
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const date = `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`
  const time = `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`
  const fraction = micros === 0 ? '' : `.${pad(micros, 6)}`
  return `${date}T${time}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
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
