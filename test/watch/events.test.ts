import { describe, expect, it } from 'vitest'
import { diffInstances, eventText, instanceSet, jsonLine } from '../../src/watch/events.js'

const a = { InstanceId: 'a', HealthStatus: 'HEALTHY' as const, Attributes: { k: '1' } }

describe('watch events', () => {
  it('one event per instance and kind of change, in instance id order', () => {
    const before = instanceSet([a, { InstanceId: 'c', HealthStatus: 'HEALTHY', Attributes: {} }])
    const after = instanceSet([{ InstanceId: 'b', HealthStatus: 'UNHEALTHY', Attributes: {} }, { InstanceId: 'a', HealthStatus: 'UNHEALTHY', Attributes: { k: '2' } }])
    expect(diffInstances(before, after, 7n).map((e) => [e.event, e.InstanceId])).toEqual([
      ['attributes-changed', 'a'],
      ['health-changed', 'a'],
      ['added', 'b'],
      ['removed', 'c'],
    ])
    expect(diffInstances(after, after, 7n)).toEqual([])
    // Attribute order is not a change (JSON objects from the wire may come in any order).
    expect(diffInstances(instanceSet([{ ...a, Attributes: { x: '1', y: '2' } }]), instanceSet([{ ...a, Attributes: { y: '2', x: '1' } }]), 1n)).toEqual([])
  })

  it('JSON lines print 64-bit revisions exactly; text lines read as sentences', () => {
    const [added] = diffInstances(instanceSet([]), instanceSet([a]), 9007199254740993n)
    expect(jsonLine(added)).toBe('{"event":"added","InstanceId":"a","HealthStatus":"HEALTHY","Attributes":{"k":"1"},"InstancesRevision":9007199254740993}\n')
    expect(eventText(added)).toBe('revision 9007199254740993: added a HEALTHY k=1')
    // Any attribute text stays a string, whatever it looks like.
    const [odd] = diffInstances(instanceSet([]), instanceSet([{ ...a, Attributes: { k: '\u0000bigint:5' } }]), 2n)
    expect(JSON.parse(jsonLine(odd)).Attributes).toEqual({ k: '\u0000bigint:5' })
  })
})
