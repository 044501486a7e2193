import { serviceError } from '../../../registry/errors.js'
import type { HandlerContext } from '../context.js'
import type { RegistryState } from '../state.js'
import { checkTagCount, checkTagKeysNotReserved, checkTags, invalidInput } from './common.js'
import type { HandlerTable } from './types.js'

const RESOURCE_ARN = /^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:(namespace|service)\/[^/]+$/

/**
 * The ARN of a namespace or service of this registry. Tags name resources by ARN only (not by id): a
 * string that is not a Cloud Map namespace or service ARN is InvalidInput, an unknown one
 * ResourceNotFoundException.
 */
function resourceArn(state: RegistryState, arn: string, ctx: HandlerContext): string {
  if (!RESOURCE_ARN.test(arn)) {
    throw invalidInput(`${arn} is not the ARN of a Cloud Map namespace or service (arn:aws:servicediscovery:${ctx.region}:${ctx.accountId}:namespace/ns-... or .../service/srv-...).`)
  }
  const exists = Object.values(state.namespaces).some((ns) => ns.Arn === arn) || Object.values(state.services).some((s) => s.Arn === arn)
  if (!exists) throw serviceError('ResourceNotFoundException', `No namespace or service has the ARN ${arn}.`)
  return arn
}

export const tagHandlers: HandlerTable<'TagResource' | 'UntagResource' | 'ListTagsForResource'> = {
  TagResource: (state, input, ctx) => {
    const arn = resourceArn(state, input.ResourceARN, ctx)
    checkTags(input.Tags)
    // A key that is already there gets the new value.
    const tags = [...(state.tags[arn] ?? [])]
    for (const tag of input.Tags) {
      const i = tags.findIndex((t) => t.Key === tag.Key)
      if (i >= 0) tags[i] = { Key: tag.Key, Value: tag.Value }
      else tags.push({ Key: tag.Key, Value: tag.Value })
    }
    checkTagCount(tags.length, arn)
    if (tags.length > 0) state.tags[arn] = tags
    return {}
  },

  UntagResource: (state, input, ctx) => {
    const arn = resourceArn(state, input.ResourceARN, ctx)
    checkTagKeysNotReserved(input.TagKeys)
    const remove = new Set(input.TagKeys)
    const tags = (state.tags[arn] ?? []).filter((t) => !remove.has(t.Key))
    if (tags.length > 0) state.tags[arn] = tags
    else delete state.tags[arn]
    return {}
  },

  ListTagsForResource: (state, input, ctx) => {
    const arn = resourceArn(state, input.ResourceARN, ctx)
    return { Tags: (state.tags[arn] ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) }
  },
}
