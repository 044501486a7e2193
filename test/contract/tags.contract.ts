import { describe, expect } from 'vitest'
import type { MakeBackend } from './support.js'
import { errorCode, httpNamespace, rule, service, sortedTags, succeeded, tags } from './support.js'

/** TagResource, UntagResource and ListTagsForResource. */
export function tagContract(make: MakeBackend): void {
  describe('tags', () => {
    rule(make, 'TagResource adds tags to a namespace or service (a key already there gets the new value); ListTagsForResource lists them; UntagResource removes keys', async ({ call }) => {
      const ns = await httpNamespace(call, 'tagging')
      const nsArn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      const srv = await service(call, { Name: 's', NamespaceId: ns })
      for (const arn of [nsArn, srv.arn]) {
        expect((await call('ListTagsForResource', { ResourceARN: arn })).Tags).toEqual([])
        expect(await call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: '' }] })).toEqual({})
        await call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'env', Value: 'prod' }] })
        expect(sortedTags((await call('ListTagsForResource', { ResourceARN: arn })).Tags)).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: '' }])
        expect(await call('UntagResource', { ResourceARN: arn, TagKeys: ['owner', 'not-there'] })).toEqual({})
        expect((await call('ListTagsForResource', { ResourceARN: arn })).Tags).toEqual([{ Key: 'env', Value: 'prod' }])
      }
    })

    rule(make, 'tags of an unknown resource ARN fail with ResourceNotFoundException', async ({ call }) => {
      const ns = await httpNamespace(call, 'arn-shape')
      const arn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      const unknown = arn.replace(/ns-[a-z0-9]+$/, 'ns-doesnotexist0000')
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: unknown }))).toBe('ResourceNotFoundException')
      expect(await errorCode(call('TagResource', { ResourceARN: unknown, Tags: [{ Key: 'k', Value: 'v' }] }))).toBe('ResourceNotFoundException')
      expect(await errorCode(call('UntagResource', { ResourceARN: unknown, TagKeys: ['k'] }))).toBe('ResourceNotFoundException')
    })

    rule(make, 'a resource has at most 50 tags: TagResource beyond fails with TooManyTagsException and changes nothing', async ({ call }) => {
      const ns = await httpNamespace(call, 'fifty-tags')
      const arn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      await call('TagResource', { ResourceARN: arn, Tags: tags(50) })
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'one-more', Value: 'v' }] }))).toBe('TooManyTagsException')
      expect((await call('ListTagsForResource', { ResourceARN: arn })).Tags).toHaveLength(50)
      await call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'k0', Value: 'overwriting is fine' }] })
    })

    rule(make, 'TagResource/UntagResource input is checked against the model: at most 200 tags or keys, keys 1-128, values up to 256 characters -> InvalidInput', async ({ call }) => {
      const ns = await httpNamespace(call, 'tag-model')
      const arn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: tags(201) }))).toBe('InvalidInput')
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: [{ Key: '', Value: 'v' }] }))).toBe('InvalidInput')
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }))).toBe('InvalidInput')
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }))).toBe('InvalidInput')
      expect(await errorCode(call('TagResource', { ResourceARN: arn, Tags: [{ Key: 'k' }] } as never))).toBe('InvalidInput')
      expect(await errorCode(call('UntagResource', { ResourceARN: arn, TagKeys: tags(201).map((t) => t.Key) }))).toBe('InvalidInput')
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: '' }))).toBe('InvalidInput')
    })

    rule(make, 'tags go with their resource: after DeleteService / DeleteNamespace the ARN is unknown (ResourceNotFoundException)', async ({ call }) => {
      const ns = await httpNamespace(call, 'tags-deleted', { Tags: [{ Key: 'k', Value: 'v' }] })
      const nsArn = (await call('GetNamespace', { Id: ns })).Namespace!.Arn!
      const srv = await service(call, { Name: 's', NamespaceId: ns, Tags: [{ Key: 'k', Value: 'v' }] })
      await call('DeleteService', { Id: srv.id })
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: srv.arn }))).toBe('ResourceNotFoundException')
      await succeeded(call, call('DeleteNamespace', { Id: ns }))
      expect(await errorCode(call('ListTagsForResource', { ResourceARN: nsArn }))).toBe('ResourceNotFoundException')
    })
  })
}
