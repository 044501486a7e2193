import { describe, expect, it } from 'vitest'
import { LosslessNumber } from 'lossless-json'
import { OutputFormatError, formatText } from '../../src/output/text.js'
import { pyFloatRepr, pyRepr } from '../../src/python/values.js'
import { expectedStdout, loadCases } from './golden.js'

describe('formatText: golden captures (AWS CLI 2.9.19 stdout, byte for byte)', () => {
  for (const c of loadCases('text-cases.json')) {
    it(c.capture, () => {
      const expected = expectedStdout(c.capture)
      if (c.format === 'text-pages') {
        // Paginated operations: the text formatter runs once per page (and once for the
        // resume token); stdout is the concatenation.
        const pages = c.data as unknown[]
        expect(pages.map((page) => formatText(page)).join('')).toBe(expected)
      } else if (c.error !== undefined) {
        let thrown: unknown
        try {
          formatText(c.data)
        } catch (error) {
          thrown = error
        }
        expect(thrown).toBeInstanceOf(OutputFormatError)
        expect((thrown as OutputFormatError).message).toBe(c.error)
        expect((thrown as OutputFormatError).partialOutput).toBe(expected)
      } else {
        expect(formatText(c.data)).toBe(expected)
      }
    })
  }
})

describe('formatText: rules', () => {
  it('prints nothing for {} and [], None for null', () => {
    expect(formatText({})).toBe('')
    expect(formatText([])).toBe('')
    expect(formatText(new Map())).toBe('')
    expect(formatText(null)).toBe('None\n')
    expect(formatText(undefined)).toBe('None\n')
  })

  it('prints 64-bit integers exactly and keeps Python float spelling', () => {
    const data = { InstancesRevision: 85648075627387284n, F: new LosslessNumber('110.0'), E: 1e-5 }
    expect(formatText(data)).toBe('1e-05\t110.0\t85648075627387284\n')
  })

  it('sorts keys by code point and labels rows with the upper-cased parent key', () => {
    const data = new Map<string, unknown>([
      ['b', 'second'],
      ['10', 'int-like'],
      ['9', 'int-like 2'],
      ['Ü', 'u'],
      ['a', { z: 1, y: [{ k: 'v' }] }],
    ])
    expect(formatText(data)).toBe('int-like\tint-like 2\tsecond\tu\nA\t1\nY\tv\n')
  })

  it('prints a value that is a dict in one element and a scalar key elsewhere as Python repr (map order kept)', () => {
    const m = new Map<string, unknown>([
      ['10', 'x'],
      ['9', 'y'],
      ['b', 'z'],
    ])
    const data = [
      { a: 1, m },
      { a: new Map<string, unknown>([['10', 'x'], ['9', 'y']]) },
    ]
    expect(formatText(data)).toBe("1\nM\tx\ty\tz\n{'10': 'x', '9': 'y'}\n")
  })

  it('keeps what was printed before the formatter crashes', () => {
    let thrown: unknown
    try {
      formatText({ A: 'x', B: [1, { a: 1 }] })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(OutputFormatError)
    expect((thrown as OutputFormatError).message).toBe("'int' object has no attribute 'items'")
    expect((thrown as OutputFormatError).partialOutput).toBe('x\n')
  })

  it('spells floats like Python repr', () => {
    const cases: Array<[number, string]> = [
      [110, '110.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [1.5e300, '1.5e+300'],
      [-0, '-0.0'],
      [1795629551.803617, '1795629551.803617'],
      [123456789012345680000, '1.2345678901234568e+20'],
      [2.5e-7, '2.5e-07'],
    ]
    for (const [value, repr] of cases) expect(pyFloatRepr(value)).toBe(repr)
  })

  it('spells lists and dicts like Python repr', () => {
    expect(pyRepr(['a', "it's", 'say "hi"', `both ' "`, null, true, 1, 'tab\there', 'é\u0085'])).toBe(
      `['a', "it's", 'say "hi"', 'both \\' "', None, True, 1, 'tab\\there', 'é\\x85']`,
    )
    expect(pyRepr({ k: { n: null } })).toBe("{'k': {'n': None}}")
  })
})
