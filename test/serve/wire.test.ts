import { describe, expect, it } from 'vitest'
import { encodeJson } from '../../src/output/wire-json.js'

describe('encodeJson: the JSON 1.1 wire encoder', () => {
  it('writes plain members as JSON.stringify does and the protocol types its own way, at any depth', () => {
    const value = {
      Instances: [{ InstanceId: 'i-1', Attributes: { A: '\u0000x\u0000', B: '\ud800' }, Gone: undefined }],
      InstancesRevision: 12345678901234567890n,
      Nested: { Items: [{ CreateDate: new Date(1_700_000_000_123), Count: 3 }, undefined], Map: new Map([['k', 1n]]) },
      Flags: [true, false, null, Number.NaN],
    }
    const text = encodeJson(value)
    expect(text).toBe(
      '{"Instances":[{"InstanceId":"i-1","Attributes":{"A":"\\u0000x\\u0000","B":"\\ud800"}}],"InstancesRevision":12345678901234567890,' +
        '"Nested":{"Items":[{"CreateDate":1700000000.123,"Count":3},null],"Map":{"k":1}},"Flags":[true,false,null,null]}',
    )
    // Valid JSON whatever the strings hold.
    expect(() => JSON.parse(text)).not.toThrow()
  })

  it('writes a plain answer byte for byte as JSON.stringify', () => {
    const plain = { Instances: [{ InstanceId: 'a"b\\c\n', HealthStatus: 'HEALTHY', Attributes: {} }], Empty: [], Zero: -0 }
    expect(encodeJson(plain)).toBe(JSON.stringify(plain))
  })
})
