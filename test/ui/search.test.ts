import { describe, expect, it } from 'vitest'
import { filterSnapshot } from '../../src/serve/ui/page/search.js'
import type { Snapshot } from '../../src/serve/ui/page/snapshot.js'

const snapshot: Snapshot = {
  hiddenNamespaces: 0,
  operations: [],
  namespaces: [
    {
      Id: 'ns-1',
      Name: 'shop',
      Type: 'HTTP',
      HttpName: 'shop',
      services: [
        {
          Id: 'srv-1',
          Name: 'web',
          instances: [
            { Id: 'web-1', HealthStatus: 'HEALTHY', Attributes: { zone: 'eu-west-1a', AWS_INSTANCE_IPV4: '10.0.0.1' } },
            { Id: 'web-2', HealthStatus: 'UNHEALTHY', Attributes: { zone: 'eu-west-1b', AWS_INSTANCE_IPV4: '10.0.0.2' } },
          ],
        },
        { Id: 'srv-2', Name: 'cart', instances: [] },
      ],
    },
    { Id: 'ns-2', Name: 'billing', Type: 'DNS_PRIVATE', HttpName: 'billing', services: [{ Id: 'srv-3', Name: 'invoices', instances: [{ Id: 'inv-1', HealthStatus: 'UNKNOWN', Attributes: { zone: 'eu-west-1a' } }] }] },
  ],
}

const ids = (query: string) => filterSnapshot(snapshot, query).namespaces.flatMap((ns) => ns.services.map((srv) => `${ns.Name}/${srv.Name}:${srv.instances.map((i) => i.Id).join(',')}`))

describe('the dashboard search box', () => {
  it('shows everything for an empty query', () => {
    expect(filterSnapshot(snapshot, '  ')).toMatchObject({ shownInstances: 3, totalInstances: 3 })
    expect(ids('')).toEqual(['shop/web:web-1,web-2', 'shop/cart:', 'billing/invoices:inv-1'])
  })

  it('matches attribute values, names and name=value, case-insensitively', () => {
    expect(ids('EU-WEST-1B')).toEqual(['shop/web:web-2'])
    expect(ids('zone=eu-west-1a')).toEqual(['shop/web:web-1', 'billing/invoices:inv-1'])
    expect(ids('web-1')).toEqual(['shop/web:web-1'])
    expect(filterSnapshot(snapshot, '10.0.0.2')).toMatchObject({ shownInstances: 1, totalInstances: 3 })
  })

  it('keeps everything under a matching namespace or service, and needs every word to match', () => {
    expect(ids('billing')).toEqual(['billing/invoices:inv-1'])
    expect(ids('cart')).toEqual(['shop/cart:'])
    expect(ids('shop 1b')).toEqual(['shop/web:web-2'])
    expect(ids('shop nothing-like-this')).toEqual([])
  })
})
