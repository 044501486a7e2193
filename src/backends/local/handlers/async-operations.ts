import type { OperationType } from '../../../model/api-types.js'
import type { HandlerContext } from '../context.js'
import { newOperationId } from '../context.js'
import type { OperationEffect, OperationRecord, RegistryState } from '../state.js'
import { bumpRevision } from './common.js'

/**
 * AWS Cloud Map's asynchronous operations (namespace create/update/delete, UpdateService, Register and
 * DeregisterInstance): the request returns an OperationId at once and the change happens later; the
 * operation goes SUBMITTED -> PENDING -> SUCCESS | FAIL. Locally the change is an OperationEffect, applied
 * immediately when there is no simulated delay, or kept in the operation until the clock passes its
 * completion time (settle, run before every call).
 */

export interface Submission {
  Type: OperationType
  Targets: Record<string, string>
  NamespaceId?: string
  ServiceId?: string
  Effect: OperationEffect
  RequestToken?: string
  RequestHash?: string
}

export function submitOperation(state: RegistryState, ctx: HandlerContext, submission: Submission): string {
  const now = ctx.now()
  const op: OperationRecord = {
    Id: newOperationId(ctx),
    Type: submission.Type,
    Status: 'SUBMITTED',
    CreateDate: now.toISOString(),
    UpdateDate: now.toISOString(),
    Targets: submission.Targets,
  }
  if (submission.NamespaceId !== undefined) op.NamespaceId = submission.NamespaceId
  if (submission.ServiceId !== undefined) op.ServiceId = submission.ServiceId
  if (submission.RequestToken !== undefined) {
    op.RequestToken = submission.RequestToken
    op.RequestHash = submission.RequestHash
  }
  state.operations.add(op)
  const delay = ctx.operationDelayMs
  if (delay <= 0) {
    complete(state, op, submission.Effect)
  } else {
    op.PendingAt = new Date(now.getTime() + Math.floor(delay / 2)).toISOString()
    op.CompleteAt = new Date(now.getTime() + delay).toISOString()
    op.Effect = submission.Effect
  }
  return op.Id
}

/** Move every waiting operation along to where the clock says it is, applying the effects that are due. */
export function settle(state: RegistryState, now: Date): void {
  const waiting = state.operations.waiting()
  waiting.sort((a, b) => Date.parse(a.CompleteAt ?? a.CreateDate) - Date.parse(b.CompleteAt ?? b.CreateDate))
  const t = now.getTime()
  for (const op of waiting) {
    const completeAt = op.CompleteAt ?? op.CreateDate
    if (t >= Date.parse(completeAt)) {
      const effect = op.Effect!
      delete op.Effect
      delete op.PendingAt
      delete op.CompleteAt
      op.UpdateDate = completeAt
      complete(state, op, effect)
    } else if (op.Status === 'SUBMITTED' && op.PendingAt !== undefined && t >= Date.parse(op.PendingAt)) {
      op.Status = 'PENDING'
      op.UpdateDate = op.PendingAt
    }
  }
}

/** An operation still waiting (SUBMITTED or PENDING) that matches, e.g. one on the same instance. */
export function inProgress(state: RegistryState, matches: (op: OperationRecord) => boolean): OperationRecord | undefined {
  return state.operations.waiting().find((op) => matches(op))
}

/** The latest operation submitted with this scoped request token that did not fail (a failed one may be retried). */
export function byRequestToken(state: RegistryState, token: string): OperationRecord | undefined {
  const ops = state.operations.withToken(token).filter((op) => op.Status !== 'FAIL')
  return ops[ops.length - 1]
}

/** Effects of operations still waiting, of one kind (e.g. namespaces being created). */
export function pendingEffects<K extends OperationEffect['Kind']>(state: RegistryState, kind: K): Extract<OperationEffect, { Kind: K }>[] {
  return state.operations
    .waiting()
    .map((op) => op.Effect)
    .filter((e): e is Extract<OperationEffect, { Kind: K }> => e !== undefined && e.Kind === kind)
}

function complete(state: RegistryState, op: OperationRecord, effect: OperationEffect): void {
  const failure = apply(state, effect)
  if (failure === undefined) {
    op.Status = 'SUCCESS'
  } else {
    op.Status = 'FAIL'
    op.ErrorCode = 'INTERNAL_FAILURE'
    op.ErrorMessage = failure
  }
}

/** Carry out an effect; a string is why it could not be (the operation then FAILs and nothing changes). */
function apply(state: RegistryState, effect: OperationEffect): string | undefined {
  switch (effect.Kind) {
    case 'CreateNamespace': {
      const ns = effect.Namespace
      if (state.namespaces[ns.Id]) return `Namespace ${ns.Id} already exists.`
      state.namespaces[ns.Id] = ns
      if (effect.Tags.length > 0) state.tags[ns.Arn] = effect.Tags
      return undefined
    }
    case 'DeleteNamespace': {
      const ns = state.namespaces[effect.NamespaceId]
      if (!ns) return `Namespace ${effect.NamespaceId} no longer exists.`
      const services = Object.values(state.services).filter((s) => s.NamespaceId === ns.Id).length
      if (services > 0) return `Namespace ${ns.Id} still has ${services} service(s); delete them, then delete the namespace again.`
      delete state.namespaces[ns.Id]
      delete state.tags[ns.Arn]
      return undefined
    }
    case 'UpdateNamespace': {
      const ns = state.namespaces[effect.NamespaceId]
      if (!ns) return `Namespace ${effect.NamespaceId} no longer exists.`
      if (effect.Description !== undefined) ns.Description = effect.Description
      if (effect.SoaTtl !== undefined) ns.SoaTtl = effect.SoaTtl
      return undefined
    }
    case 'UpdateService': {
      const srv = state.services[effect.ServiceId]
      if (!srv) return `Service ${effect.ServiceId} no longer exists.`
      srv.Type = effect.Type
      for (const key of ['Description', 'DnsConfig', 'HealthCheckConfig'] as const) {
        if (effect[key] === undefined) delete srv[key]
        else (srv as unknown as Record<string, unknown>)[key] = effect[key]
      }
      return undefined
    }
    case 'RegisterInstance': {
      const srv = state.services[effect.ServiceId]
      if (!srv) return `Service ${effect.ServiceId} was deleted before the instance could be registered.`
      const instances = state.instances.of(srv.Id)
      const previous = instances[effect.Instance.Id]
      const record = { ...effect.Instance }
      // A custom health check starts HEALTHY unless AWS_INIT_HEALTH_STATUS says otherwise; re-registering
      // keeps the current status unless AWS_INIT_HEALTH_STATUS is given again.
      if (srv.HealthCheckCustomConfig) record.CustomHealthStatus = effect.InitialHealth ?? previous?.CustomHealthStatus ?? 'HEALTHY'
      // A Route 53 health check is not carried over: "If there's also an existing health check, Cloud Map
      // deletes the old health check and creates a new one" (RegisterInstance.InstanceId), and a new one
      // counts as healthy, so the probed HealthCheckStatus of the previous record is dropped.
      instances[record.Id] = record
      bumpRevision(srv)
      return undefined
    }
    case 'DeregisterInstance': {
      const srv = state.services[effect.ServiceId]
      const instances = srv ? state.instances.of(srv.Id) : undefined
      if (!srv || !instances?.[effect.InstanceId]) return `Instance ${effect.InstanceId} is no longer registered in service ${effect.ServiceId}.`
      delete instances[effect.InstanceId]
      bumpRevision(srv)
      return undefined
    }
  }
}
