import { describe, expect, it } from 'vitest'
import { LosslessNumber } from 'lossless-json'
import { OutputFormatError, formatTable } from '../../src/output/table/index.js'
import { roundHalfEven } from '../../src/output/table/sections.js'
import { awsTextWidth } from '../../src/output/east-asian-width.js'
import { expectedStdout, loadCases } from './golden.js'


describe('formatTable: golden captures (AWS CLI 2.9.19 stdout, byte for byte)', () => {
  for (const c of loadCases('table-cases.json')) {
    it(c.capture, () => {
      const options = c.options as NonNullable<typeof c.options>
      expect(formatTable(c.data, options)).toBe(expectedStdout(c.capture))
    })
  }
})

describe('formatTable: rules', () => {
  const op = { title: 'Op', width: 80, color: false }

  it('prints nothing for falsy values and only the title box for a truthy scalar', () => {
    for (const falsy of [null, undefined, false, 0, 0n, '', [], {}, new Map(), new LosslessNumber('0.0')]) {
      expect(formatTable(falsy, op)).toBe('')
    }
    expect(formatTable(new LosslessNumber('0.5'), op)).toBe('----\n|Op|\n+--+\n')
  })

  it('counts East Asian ambiguous characters as 2 columns (string-width, and so cli-table3, counts 1)', () => {
    expect(awsTextWidth('café ✓ 日本')).toBe(12) // é 2, ✓ 1, 日 2, 本 2
    const out = formatTable({ Attributes: new Map([['é', 'café'], ['k', 'v']]), Id: 'x' }, { ...op, title: 'GetInstance', width: 20 })
    expect(out).toBe(
      '------------------\n|   GetInstance  |\n+--------+-------+\n|  Id    |  x    |\n+--------+-------+\n' +
        '||  Attributes  ||\n|+----+---------+|\n||  k |   é    ||\n|+----+---------+|\n||  v |  café  ||\n|+----+---------+|\n',
    )
  })

  it('flips single-row sections to vertical when wider than the terminal', () => {
    expect(formatTable({ Id: 'a', Name: 'b' }, { ...op, title: 'GetService', width: 10 })).toBe(
      '---------------\n| GetService  |\n+-------+-----+\n|  Id   |  a  |\n|  Name |  b  |\n+-------+-----+\n',
    )
  })

  it('writes line breaks inside cells raw', () => {
    expect(formatTable([{ a: 'x\ny' }], op)).toBe('---------\n|  Op   |\n+-------+\n|   a   |\n+-------+\n|  x\ny  |\n+-------+\n')
  })

  it('colours like colorama with autoreset (ESC[0m after every write)', () => {
    const data = { Status: { 'i-1': 'HEALTHY' }, NextToken: new LosslessNumber('1.5'), T: true, N: null }
    const E = '\u001b'
    const R = `${E}[0m`
    const bar = `${E}[2m${E}[33m|${R}`
    const cell = (s: string): string => `${E}[1m${E}[34m${s}${R}`
    const line = (indent: string, text: string): string => `${R}${indent}${R}${text}${R}${indent}${R}\n`
    const expected =
      '-------------------------------\n' +
      line('', '|  GetInstancesHealthStatus   |') +
      line('', '+------+-------------+--------+') +
      line('', '|   N  |  NextToken  |   T    |') +
      line('', '+------+-------------+--------+') +
      line('', `|  ${cell('None')}|  ${cell('1.5')}        |  ${cell('True')}  |`) +
      line('', '+------+-------------+--------+') +
      line(bar, '|          Status           |') +
      line(bar, '+---------+-----------------+') +
      line(bar, `|  ${cell('i-1')}    |  ${cell('HEALTHY')}        |`) +
      line(bar, '+---------+-----------------+') +
      R
    expect(formatTable(data, { title: 'GetInstancesHealthStatus', width: 80, color: true })).toBe(expected)
  })

  it('adds colorama exit reset on a terminal, even for an empty table', () => {
    expect(formatTable({}, { ...op, color: true, tty: true })).toBe('\u001b[0m')
    expect(formatTable({}, { ...op, color: true, tty: false })).toBe('')
    expect(formatTable({}, { ...op, color: false, tty: true })).toBe('')
  })

  it('raises where the AWS CLI raises', () => {
    expect(() => formatTable([[1, 2], [3]], op)).toThrow(OutputFormatError)
    expect(() => formatTable([[1, 2], [3]], op)).toThrow('Row should have 2 elements, instead it has 1')
  })

  it('rounds column scaling half to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3])
  })
})
