import type { HttpInstanceSummary } from '../model/api-types.js'
import { encodeJson } from '../output/wire-json.js'

/** What watch says about one instance between two DiscoverInstances answers. */
export type WatchEvent =
  | { event: 'added'; InstanceId: string; HealthStatus?: string; Attributes: Record<string, string>; InstancesRevision: bigint }
  | { event: 'removed'; InstanceId: string; HealthStatus?: string; Attributes: Record<string, string>; InstancesRevision: bigint }
  | { event: 'attributes-changed'; InstanceId: string; Attributes: Record<string, string>; PreviousAttributes: Record<string, string>; InstancesRevision: bigint }
  | { event: 'health-changed'; InstanceId: string; HealthStatus?: string; PreviousHealthStatus?: string; InstancesRevision: bigint }

export type InstanceSet = Map<string, HttpInstanceSummary>

export function instanceSet(instances: readonly HttpInstanceSummary[] | undefined): InstanceSet {
  return new Map((instances ?? []).map((i) => [i.InstanceId ?? '', i]))
}

function sameAttributes(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k])
}

/**
 * The changes from one answer to the next, one event per instance and kind of change, in instance id
 * order (DiscoverInstances answers in random order, as AWS does).
 */
export function diffInstances(previous: InstanceSet, next: InstanceSet, revision: bigint): WatchEvent[] {
  const ids = [...new Set([...previous.keys(), ...next.keys()])].sort()
  const events: WatchEvent[] = []
  for (const id of ids) {
    const before = previous.get(id)
    const after = next.get(id)
    if (!before && after) events.push({ event: 'added', InstanceId: id, HealthStatus: after.HealthStatus, Attributes: after.Attributes ?? {}, InstancesRevision: revision })
    else if (before && !after) events.push({ event: 'removed', InstanceId: id, HealthStatus: before.HealthStatus, Attributes: before.Attributes ?? {}, InstancesRevision: revision })
    else if (before && after) {
      if (!sameAttributes(before.Attributes, after.Attributes)) {
        events.push({ event: 'attributes-changed', InstanceId: id, Attributes: after.Attributes ?? {}, PreviousAttributes: before.Attributes ?? {}, InstancesRevision: revision })
      }
      if (before.HealthStatus !== after.HealthStatus) {
        events.push({ event: 'health-changed', InstanceId: id, HealthStatus: after.HealthStatus, PreviousHealthStatus: before.HealthStatus, InstancesRevision: revision })
      }
    }
  }
  return events
}

/** One JSON object on one line; 64-bit revisions printed exactly, as serve writes them. */
export function jsonLine(value: unknown): string {
  return `${encodeJson(value)}\n`
}

export function attributesText(attributes: Record<string, string> = {}): string {
  return Object.entries(attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
}

/** The readable line of an event. */
export function eventText(e: WatchEvent): string {
  const head = `revision ${e.InstancesRevision}: `
  switch (e.event) {
    case 'added':
      return `${head}added ${e.InstanceId} ${e.HealthStatus ?? ''} ${attributesText(e.Attributes)}`.trimEnd()
    case 'removed':
      return `${head}removed ${e.InstanceId}`
    case 'attributes-changed':
      return `${head}attributes of ${e.InstanceId} changed: ${attributesText(e.PreviousAttributes)} -> ${attributesText(e.Attributes)}`
    case 'health-changed':
      return `${head}health of ${e.InstanceId} changed: ${e.PreviousHealthStatus ?? 'UNKNOWN'} -> ${e.HealthStatus ?? 'UNKNOWN'}`
  }
}
