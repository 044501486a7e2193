/**
 * Python's datetime.date and (naive) datetime.datetime, as ruamel.yaml's safe loader makes them from YAML
 * timestamps for --cli-input-yaml (ruamel/yaml/util.py create_timestamp): botocore's messages print their
 * str(), repr() and class, so cloudmap keeps them as such values rather than strings.
 */
export class PyDateTime {
  private constructor(
    readonly kind: 'date' | 'datetime',
    /** year, month, day[, hour, minute, second, microsecond] */
    readonly fields: readonly number[],
  ) {}

  /** datetime.date(year, month, day), with Python's checks (ValueError messages). */
  static date(year: number, month: number, day: number): PyDateTime {
    checkDate(year, month, day)
    return new PyDateTime('date', [year, month, day])
  }

  /** datetime.datetime(year, month, day, hour, minute, second, microsecond), with Python's checks. */
  static datetime(year: number, month: number, day: number, hour: number, minute: number, second: number, microsecond: number): PyDateTime {
    checkDate(year, month, day)
    if (hour > 23) throw new PyValueError('hour must be in 0..23')
    if (minute > 59) throw new PyValueError('minute must be in 0..59')
    if (second > 59) throw new PyValueError('second must be in 0..59')
    return new PyDateTime('datetime', [year, month, day, hour, minute, second, microsecond])
  }

  /** `datetime.datetime` or `datetime.date`. */
  get typeName(): string {
    return `datetime.${this.kind}`
  }

  /** str(): isoformat with a space (`2020-01-02 03:04:05[.000006]`). */
  str(): string {
    const [y, mo, d, h, mi, s, us] = this.fields
    const pad = (n: number, w = 2) => String(n).padStart(w, '0')
    const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`
    if (this.kind === 'date') return date
    return `${date} ${pad(h)}:${pad(mi)}:${pad(s)}${us ? `.${pad(us, 6)}` : ''}`
  }

  /** repr(): `datetime.date(2020, 1, 1)`; a datetime drops a zero microsecond, then a zero second. */
  repr(): string {
    const fields = [...this.fields]
    if (this.kind === 'datetime') {
      if (fields[fields.length - 1] === 0) fields.pop()
      if (fields[fields.length - 1] === 0) fields.pop()
    }
    return `${this.typeName}(${fields.join(', ')})`
  }

  /** This datetime moved by a number of milliseconds (whole seconds here: timezone offsets). */
  private shifted(ms: number): PyDateTime {
    const [y, mo, d, h, mi, s, us] = this.fields
    const t = new Date(0)
    t.setUTCFullYear(y, mo - 1, d)
    t.setUTCHours(h, mi, s, 0)
    const u = new Date(t.getTime() + ms)
    return PyDateTime.datetime(u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds(), us)
  }

  /** ruamel.yaml's create_timestamp: a date, or a naive datetime moved to UTC by the zone offset. */
  static fromYaml(m: { year: string; month: string; day: string; hour?: string; minute?: string; second?: string; fraction?: string; tzSign?: string; tzHour?: string; tzMinute?: string }): PyDateTime {
    const year = Number(m.year)
    const month = Number(m.month)
    const day = Number(m.day)
    if (!m.hour) return PyDateTime.date(year, month, day)
    const MAX_FRAC = 999999
    let frac = 0
    let fraction = 0
    if (m.fraction) {
      frac = Number(m.fraction.slice(0, 6).padEnd(6, '0'))
      if (m.fraction.length > 6 && Number(m.fraction[6]) > 4) frac += 1
      fraction = frac > MAX_FRAC ? 0 : frac
    }
    // delta in seconds, subtracted from the datetime (ruamel: `data -= delta`).
    let delta = 0
    if (m.tzSign) {
      delta = Number(m.tzHour) * 3600 + (m.tzMinute ? Number(m.tzMinute) : 0) * 60 + (frac > MAX_FRAC ? 1 : 0)
      if (m.tzSign === '-') delta = -delta
    } else if (frac > MAX_FRAC) {
      delta = -1
    }
    const data = PyDateTime.datetime(year, month, day, Number(m.hour), Number(m.minute), Number(m.second), fraction)
    return delta ? data.shifted(-delta * 1000) : data
  }
}

/** A Python ValueError (its message is what the AWS CLI prints, exit 255). */
export class PyValueError extends Error {}

function checkDate(year: number, month: number, day: number): void {
  if (year < 1 || year > 9999) throw new PyValueError(`year ${year} is out of range`)
  if (month < 1 || month > 12) throw new PyValueError('month must be in 1..12')
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0)
  if (day < 1 || day > days) throw new PyValueError('day is out of range for month')
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
}

/**
 * ruamel.yaml's implicit timestamp resolver (YAML 1.2 and 1.1 alike): `YYYY-MM-DD`, or a date with 1-2
 * digit month/day followed by a time, optional fraction and zone.
 */
export const YAML_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/

/** ruamel.yaml's timestamp_regexp, by which a resolved timestamp is constructed. */
const TIMESTAMP_PARTS =
  /^(?<year>[0-9][0-9][0-9][0-9])-(?<month>[0-9][0-9]?)-(?<day>[0-9][0-9]?)(?:(?:[Tt]|[ \t]+)(?<hour>[0-9][0-9]?):(?<minute>[0-9][0-9]):(?<second>[0-9][0-9])(?:\.(?<fraction>[0-9]*))?(?:[ \t]*(?:Z|(?<tzSign>[-+])(?<tzHour>[0-9][0-9]?)(?::(?<tzMinute>[0-9][0-9]))?))?)?$/

/** The value ruamel.yaml constructs for a plain scalar YAML_TIMESTAMP matched. */
export function yamlTimestamp(text: string): PyDateTime {
  const m = TIMESTAMP_PARTS.exec(text)
  if (!m?.groups) throw new PyValueError(`failed to construct timestamp from "${text}"`)
  return PyDateTime.fromYaml(m.groups as Parameters<typeof PyDateTime.fromYaml>[0])
}
