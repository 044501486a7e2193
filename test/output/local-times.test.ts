import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isoTimestamp } from '../../src/output/timestamps.js'

/**
 * Timestamps in the local zone as the AWS CLI renders them: datetime.fromtimestamp(t, tzlocal()).isoformat()
 * recorded from Python's dateutil by scripts/record-local-times.py — today's standard and daylight offsets
 * of the zone (never historical local mean time), POSIX TZ strings honoured.
 */
const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'local-times.json'), 'utf8')) as { tz: string; epoch: number; iso: string }[]
const savedTz = process.env.TZ
afterAll(() => {
  process.env.TZ = savedTz
})

describe('local time as dateutil.tz.tzlocal() gives it', () => {
  it.each(cases.map((c) => [`TZ=${c.tz} ${c.epoch}`, c] as const))('%s', (_name, c) => {
    process.env.TZ = c.tz
    expect(isoTimestamp(c.epoch)).toBe(c.iso)
  })
})
