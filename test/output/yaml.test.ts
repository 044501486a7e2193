import { describe, expect, it } from 'vitest'
import { LosslessNumber } from 'lossless-json'
import { formatYaml, formatYamlStream } from '../../src/output/yaml.js'
import { expectedStdout, loadCases } from './golden.js'

describe('formatYaml / formatYamlStream: golden captures (AWS CLI 2.9.19 stdout, byte for byte)', () => {
  for (const c of loadCases('yaml-cases.json')) {
    it(c.capture, () => {
      const out =
        c.format === 'yaml-stream'
          ? formatYamlStream(c.data as unknown[], { paginated: c.paginated ?? false })
          : formatYaml(c.data)
      expect(out).toBe(expectedStdout(c.capture))
    })
  }
})

describe('formatYaml: yaml-corpus-ruamel-0.17.21 (scalar quoting and folding)', () => {
  for (const c of loadCases('yaml-corpus-cases.json')) {
    const label = JSON.stringify(c.data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
    it(`${c.capture} ${label.slice(0, 60)}`, () => {
      expect(formatYaml(c.data)).toBe(c.expected)
    })
  }
})

describe('formatYaml: rules', () => {
  it('prints top-level scalars as JSON and {} as nothing', () => {
    expect(formatYaml({})).toBe('')
    expect(formatYaml(new Map())).toBe('')
    expect(formatYaml(null)).toBe('null\n')
    expect(formatYaml('say "hi"\n\u0001é')).toBe('"say \\"hi\\"\\n\\u0001é"\n')
    expect(formatYaml(new LosslessNumber('110.0'))).toBe('110.0\n')
    expect(formatYaml(85648075627387284n)).toBe('85648075627387284\n')
    expect(formatYaml([])).toBe('[]\n')
  })

  it('prints 64-bit integers exactly and floats like repr().lower()', () => {
    // An integral JS number is a Python int; a LosslessNumber keeps the float lexeme.
    expect(formatYaml({ n: 1e22 })).toBe('n: 10000000000000000000000\n')
    expect(formatYaml({ Revision: 85648075627387284n, f: new LosslessNumber('1e22'), g: 0.1 })).toBe('Revision: 85648075627387284\nf: 1e+22\ng: 0.1\n')
  })

  it('anchors and aliases the same list/dict instance met twice (ruamel representer)', () => {
    const x = { a: 1 }
    const e = {}
    const l = ['p', 'q']
    expect(formatYaml({ z: [x, x, [x]], y: [x, l, l], e: [e, e] })).toBe(
      'e:\n- &id001 {}\n- *id001\ny:\n- &id003\n  a: 1\n- &id002\n  - p\n  - q\n- *id002\nz:\n- *id003\n- *id003\n- - *id003\n',
    )
  })

  it('writes keys over 128 bytes as complex keys', () => {
    expect(formatYaml({ ['k'.repeat(130)]: 'v', short: 'w' })).toBe(`? ${'k'.repeat(130)}\n: v\nshort: w\n`)
    expect(formatYaml({ ['日'.repeat(43)]: 'v' })).toBe(`? ${'日'.repeat(43)}\n: v\n`)
  })

  it('dumps every page of a paginated yaml-stream, and nothing for a {} response', () => {
    expect(formatYamlStream([{}, null, 'x', { NextToken: '1' }], { paginated: true })).toBe("- {}\n- null\n- x\n- NextToken: '1'\n")
    expect(formatYamlStream([{}])).toBe('')
    expect(formatYamlStream([])).toBe('')
  })
})
