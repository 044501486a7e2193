import type { Operation, OperationFilter } from '../../../model/api-types.js'
import { serviceError } from '../../../registry/errors.js'
import type { OperationRecord } from '../state.js'
import { date, filterValues, idFromIdOrArn, invalidInput, paginate } from './common.js'
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

const STATUSES: readonly string[] = ['SUBMITTED', 'PENDING', 'SUCCESS', 'FAIL']
const TYPES: readonly string[] = ['CREATE_NAMESPACE', 'DELETE_NAMESPACE', 'UPDATE_NAMESPACE', 'UPDATE_SERVICE', 'REGISTER_INSTANCE', 'DEREGISTER_INSTANCE']

/** A date of an UPDATE_DATE filter: Unix time in seconds (as the API reference says), or ISO-8601. */
function filterDate(value: string): number {
  const t = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)
  if (Number.isNaN(t)) throw invalidInput(`UPDATE_DATE filter value ${value} is not a date; give Unix time in seconds, such as 1516925490.087.`)
  return t
}

/**
 * An OperationFilter as the API reference allows it: NAMESPACE_ID and SERVICE_ID with EQ, STATUS and
 * TYPE with EQ or IN, UPDATE_DATE with BETWEEN a start and an end date. Checked up front, so a bad filter
 * is rejected even when the page it would apply to is empty.
 */
function operationFilter(filter: OperationFilter): (op: OperationRecord) => boolean {
  const condition = filter.Condition ?? 'EQ'
  const values = filter.Values
  switch (filter.Name) {
    case 'NAMESPACE_ID':
    case 'SERVICE_ID': {
      filterValues(filter.Name, condition, values, ['EQ'])
      const id = idFromIdOrArn(values[0])
      return filter.Name === 'NAMESPACE_ID' ? (op) => op.NamespaceId === id || op.Targets.NAMESPACE === id : (op) => op.ServiceId === id || op.Targets.SERVICE === id
    }
    case 'STATUS':
    case 'TYPE': {
      filterValues(filter.Name, condition, values, ['EQ', 'IN'])
      const allowed = filter.Name === 'STATUS' ? STATUSES : TYPES
      const bad = values.find((v) => !allowed.includes(v))
      if (bad !== undefined) throw invalidInput(`${filter.Name} filter value ${bad} is not valid; use ${allowed.join(', ')}.`)
      return filter.Name === 'STATUS' ? (op) => values.includes(op.Status) : (op) => values.includes(op.Type)
    }
    case 'UPDATE_DATE': {
      filterValues('UPDATE_DATE', condition, values, ['BETWEEN'])
      if (values.length !== 2) throw invalidInput(`The UPDATE_DATE filter takes two values, a start and an end date, not ${values.length}.`)
      const [from, to] = values.map(filterDate)
      if (from > to) throw invalidInput('The UPDATE_DATE filter takes the start date first, then the end date.')
      return (op) => {
        const t = Date.parse(op.UpdateDate)
        return t >= from && t <= to
      }
    }
    default:
      throw invalidInput(`Unknown operation filter ${String(filter.Name)}; use NAMESPACE_ID, SERVICE_ID, STATUS, TYPE or UPDATE_DATE.`)
  }
}

export const operationHandlers: HandlerTable<'GetOperation' | 'ListOperations'> = {
  GetOperation: (state, input, ctx) => {
    const op = state.operations.get(input.OperationId)
    // Operations of another account (OwnerAccount) are not in this registry.
    if (!op || (input.OwnerAccount !== undefined && input.OwnerAccount !== ctx.accountId)) {
      throw serviceError('OperationNotFound', `No operation has the id ${input.OperationId}.`)
    }
    return { Operation: operationOutput(op, ctx.accountId) }
  },

  ListOperations: (state, input) => {
    const filters = (input.Filters ?? []).map(operationFilter)
    const { page, NextToken } = paginate(state.operations.all(), input.MaxResults, input.NextToken)
    return { Operations: page.filter((op) => filters.every((f) => f(op))).map((op) => ({ Id: op.Id, Status: op.Status })), NextToken }
  },
}
