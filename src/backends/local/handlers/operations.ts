import type { Operation, OperationFilter } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { OperationRecord, RegistryState } from '../state.js'
import { date, invalidInput, paginate } from './common.js'
import type { HandlerTable } from './types.js'

function operationOutput(op: OperationRecord, accountId: string): Operation {
  return {
    Id: op.Id,
    OwnerAccount: accountId,
    Type: op.Type,
    Status: op.Status,
    ErrorMessage: op.ErrorMessage,
    ErrorCode: op.ErrorCode,
    CreateDate: date(op.CreateDate),
    UpdateDate: date(op.UpdateDate),
    Targets: op.Targets,
  }
}

function matchesFilter(op: OperationRecord, filter: OperationFilter): boolean {
  const condition = filter.Condition ?? 'EQ'
  if (filter.Name === 'UPDATE_DATE') {
    // UPDATE_DATE takes BETWEEN with two epoch-second values.
    if (condition !== 'BETWEEN' || filter.Values.length !== 2) throw invalidInput('UPDATE_DATE takes BETWEEN with two timestamps.')
    const [from, to] = filter.Values.map((v) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v)))
    const t = Date.parse(op.UpdateDate)
    return t >= from && t <= to
  }
  const value = { NAMESPACE_ID: op.Targets.NAMESPACE, SERVICE_ID: op.Targets.SERVICE, STATUS: op.Status, TYPE: op.Type }[filter.Name]
  if (condition === 'EQ') {
    if (filter.Values.length !== 1) throw invalidInput('EQ takes exactly one value.')
    return value === filter.Values[0]
  }
  if (condition === 'IN' && (filter.Name === 'STATUS' || filter.Name === 'TYPE')) return filter.Values.includes(value ?? '')
  throw invalidInput(`Condition ${condition} is not supported for ${filter.Name}.`)
}

export const operationHandlers: HandlerTable<'GetOperation' | 'ListOperations'> = {
  GetOperation: (state: RegistryState, input, ctx) => {
    const op = state.operations[input.OperationId]
    if (!op) throw serviceError('OperationNotFound', `No operation has the id ${input.OperationId}.`)
    return { Operation: operationOutput(op, ctx.accountId) }
  },

  ListOperations: (state, input) => {
    const filters = input.Filters ?? []
    const matching = Object.values(state.operations).filter((op) => filters.every((f) => matchesFilter(op, f)))
    const { page, NextToken } = paginate(matching, input.MaxResults, input.NextToken)
    return { Operations: page.map((op) => ({ Id: op.Id, Status: op.Status })), NextToken }
  },
}
