import { describe, expect } from 'vitest'
import type { OperationFilter } from '../../src/model/api-types.js'
import type { Call, MakeBackend } from './support.js'
import { errorCode, httpNamespace, publicNamespace, register, rule, service, succeeded } from './support.js'

/** Every operation id of a (paginated) ListOperations with these filters. */
async function listed(call: Call, Filters: OperationFilter[]): Promise<string[]> {
  const ids: string[] = []
  let NextToken: string | undefined
  do {
    const page = await call('ListOperations', { Filters, NextToken })
    ids.push(...page.Operations!.map((o) => o.Id!))
    NextToken = page.NextToken
  } while (NextToken)
  return ids
}

/** GetOperation and ListOperations. */
export function operationContract(make: MakeBackend): void {
  describe('operations', () => {
    rule(make, 'GetOperation describes an operation: Id, OwnerAccount, Type, Status, CreateDate, UpdateDate and Targets', async ({ call }) => {
      const { OperationId } = await call('CreateHttpNamespace', { Name: 'op-fields' })
      const op = await succeeded(call, Promise.resolve({ OperationId }))
      expect(op).toMatchObject({ Id: OperationId, Type: 'CREATE_NAMESPACE', Status: 'SUCCESS', Targets: { NAMESPACE: expect.stringMatching(/^ns-/) } })
      expect(op.OwnerAccount).toMatch(/^\d{12}$/)
      expect(op.CreateDate).toBeInstanceOf(Date)
      expect(op.UpdateDate!.getTime()).toBeGreaterThanOrEqual(op.CreateDate!.getTime())
      expect(op.ErrorCode).toBeUndefined()
    })

    rule(make, 'GetOperation of an unknown id fails with OperationNotFound', async ({ call }) => {
      expect(await errorCode(call('GetOperation', { OperationId: 'nope' }))).toBe('OperationNotFound')
    })

    rule(make, 'every asynchronous write reports its operation Type and Targets (OperationType, OperationTargetType)', async ({ call }) => {
      const ns = await publicNamespace(call, 'types.example.com')
      const srv = await service(call, { Name: 's', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } })
      expect(await register(call, srv.id, 'i', { AWS_INSTANCE_IPV4: '192.0.2.1' })).toMatchObject({ Type: 'REGISTER_INSTANCE', Targets: { INSTANCE: 'i' } })
      expect(await succeeded(call, call('UpdateService', { Id: srv.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 30 }] } } }))).toMatchObject({ Type: 'UPDATE_SERVICE', Targets: { SERVICE: srv.id } })
      expect(await succeeded(call, call('UpdatePublicDnsNamespace', { Id: ns, Namespace: { Description: 'd' } }))).toMatchObject({ Type: 'UPDATE_NAMESPACE', Targets: { NAMESPACE: ns } })
      expect(await succeeded(call, call('DeregisterInstance', { ServiceId: srv.id, InstanceId: 'i' }))).toMatchObject({ Type: 'DEREGISTER_INSTANCE', Targets: { INSTANCE: 'i' } })
      await call('DeleteService', { Id: srv.id })
      expect(await succeeded(call, call('DeleteNamespace', { Id: ns }))).toMatchObject({ Type: 'DELETE_NAMESPACE', Targets: { NAMESPACE: ns } })
    })

    rule(make, 'ListOperations filters TYPE and STATUS with EQ or IN', async ({ call }) => {
      const create = (await succeeded(call, call('CreateHttpNamespace', { Name: 'ops' }))).Id!
      const ns = (await call('GetOperation', { OperationId: create })).Operation!.Targets!.NAMESPACE!
      const update = (await succeeded(call, call('UpdateHttpNamespace', { Id: ns, Namespace: { Description: 'x' } }))).Id!
      expect(await listed(call, [{ Name: 'TYPE', Values: ['CREATE_NAMESPACE'], Condition: 'EQ' }])).toContain(create)
      expect(await listed(call, [{ Name: 'TYPE', Values: ['CREATE_NAMESPACE'] }])).not.toContain(update)
      const both = await listed(call, [{ Name: 'TYPE', Values: ['CREATE_NAMESPACE', 'UPDATE_NAMESPACE'], Condition: 'IN' }])
      expect(both).toEqual(expect.arrayContaining([create, update]))
      expect(await listed(call, [{ Name: 'STATUS', Values: ['SUCCESS'] }])).toEqual(expect.arrayContaining([create, update]))
      expect(await listed(call, [{ Name: 'STATUS', Values: ['FAIL', 'PENDING'], Condition: 'IN' }])).not.toContain(create)
    })

    rule(make, 'ListOperations filters NAMESPACE_ID and SERVICE_ID with EQ', async ({ call }) => {
      const a = await httpNamespace(call, 'ops-a')
      const b = await httpNamespace(call, 'ops-b')
      const updA = (await succeeded(call, call('UpdateHttpNamespace', { Id: a, Namespace: { Description: 'a' } }))).Id!
      const updB = (await succeeded(call, call('UpdateHttpNamespace', { Id: b, Namespace: { Description: 'b' } }))).Id!
      const onA = await listed(call, [{ Name: 'NAMESPACE_ID', Values: [a], Condition: 'EQ' }])
      expect(onA).toContain(updA)
      expect(onA).not.toContain(updB)
      const srv = await service(call, { Name: 's', NamespaceId: a })
      const reg = (await register(call, srv.id, 'i', {})).Id!
      const onService = await listed(call, [{ Name: 'SERVICE_ID', Values: [srv.id] }])
      expect(onService).toContain(reg)
      expect(onService).not.toContain(updA)
    })

    rule(make, 'ListOperations filters UPDATE_DATE BETWEEN a start and an end date in Unix time (start first)', async ({ call }) => {
      const op = (await succeeded(call, call('CreateHttpNamespace', { Name: 'dated' }))).Id!
      expect(await listed(call, [{ Name: 'UPDATE_DATE', Values: ['946684800', '4102444800'], Condition: 'BETWEEN' }])).toContain(op)
      expect(await listed(call, [{ Name: 'UPDATE_DATE', Values: ['0', '946684800'], Condition: 'BETWEEN' }])).not.toContain(op)
    })

    rule(make, 'OperationFilter conditions outside the documented ones are rejected -> InvalidInput', async ({ call }) => {
      await httpNamespace(call, 'op-filters')
      const bad = [
        [{ Name: 'NAMESPACE_ID', Values: ['ns-a', 'ns-b'], Condition: 'IN' }], // NAMESPACE_ID takes EQ
        [{ Name: 'SERVICE_ID', Values: ['srv-'], Condition: 'BEGINS_WITH' }],
        [{ Name: 'STATUS', Values: ['SUCCESS', 'FAIL'], Condition: 'EQ' }], // EQ takes one value
        [{ Name: 'STATUS', Values: ['DONE'] }], // not an OperationStatus
        [{ Name: 'TYPE', Values: ['CREATE_SERVICE'] }], // not an OperationType
        [{ Name: 'TYPE', Values: ['CREATE'], Condition: 'BEGINS_WITH' }],
        [{ Name: 'UPDATE_DATE', Values: ['0', '1'], Condition: 'EQ' }], // UPDATE_DATE takes BETWEEN
        [{ Name: 'UPDATE_DATE', Values: ['0'], Condition: 'BETWEEN' }], // two dates
        [{ Name: 'UPDATE_DATE', Values: ['2000', '1000'], Condition: 'BETWEEN' }], // start first
        [{ Name: 'UPDATE_DATE', Values: ['yesterday', 'today'], Condition: 'BETWEEN' }],
        [{ Name: 'INSTANCE_ID', Values: ['i'] }], // OperationFilterName enum
      ]
      for (const Filters of bad) expect(await errorCode(call('ListOperations', { Filters } as never)), JSON.stringify(Filters)).toBe('InvalidInput')
    })

    rule(make, 'ListOperations pages with MaxResults (1-100) and NextToken', async ({ call }) => {
      for (const n of ['o1', 'o2', 'o3']) await httpNamespace(call, n)
      const first = await call('ListOperations', { MaxResults: 2 })
      expect(first.Operations!.length).toBeLessThanOrEqual(2)
      expect(first.NextToken).toBeTruthy()
      expect((await listed(call, [])).length).toBeGreaterThanOrEqual(3)
      expect(await errorCode(call('ListOperations', { MaxResults: 101 }))).toBe('InvalidInput')
    })
  })
}
