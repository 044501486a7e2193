import type { HealthKind, InstanceAnswer, RecordSet, RoutingPolicy, ServiceAnswer } from './answers.js'
import { HEALTH_KINDS, RECORD_SETS } from './answers.js'

/**
 * `init --service` and `--instance` values: `key=value,key=value`, or a JSON object with the same keys
 * (for values with commas). Problems are thrown as plain messages for a usage error.
 *
 *   --service  name=web,records=A+SRV,ttl=60,routing=MULTIVALUE,health=HTTP,path=/health,threshold=2
 *   --instance service=web,id=web-1,ipv4=10.0.0.1,port=8080,attr.stage=beta
 */
export const SERVICE_KEYS = ['name', 'records', 'ttl', 'routing', 'health', 'path', 'threshold'] as const
export const INSTANCE_KEYS = ['service', 'id', 'ipv4', 'ipv6', 'cname', 'port', 'attr.KEY'] as const

export class SpecError extends Error {}

function pairs(flag: string, spec: string): [string, string][] {
  const trimmed = spec.trim()
  if (trimmed.startsWith('{')) {
    let data: unknown
    try {
      data = JSON.parse(trimmed)
    } catch (error) {
      throw new SpecError(`--${flag} ${spec}: not valid JSON (${(error as Error).message})`)
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SpecError(`--${flag} ${spec}: expected a JSON object`)
    const out: [string, string][] = []
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      if (k === 'attributes' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
        for (const [ak, av] of Object.entries(v as Record<string, unknown>)) out.push([`attr.${ak}`, String(av)])
      } else if (Array.isArray(v)) out.push([k, v.map(String).join('+')])
      else out.push([k, String(v)])
    }
    return out
  }
  if (trimmed === '') throw new SpecError(`--${flag}: empty value`)
  return trimmed.split(',').map((part) => {
    const eq = part.indexOf('=')
    if (eq <= 0) throw new SpecError(`--${flag} ${spec}: "${part}" is not key=value`)
    return [part.slice(0, eq).trim(), part.slice(eq + 1)]
  })
}

function integer(flag: string, key: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new SpecError(`--${flag}: ${key}=${value} is not a whole number`)
  return Number(value.trim())
}

export function parseServiceSpec(spec: string, defaultRecords: RecordSet): ServiceAnswer {
  const service: Partial<ServiceAnswer> & { health: HealthKind } = { health: 'none' }
  for (const [key, value] of pairs('service', spec)) {
    switch (key) {
      case 'name':
        service.name = value
        break
      case 'records': {
        const set = value.toUpperCase().split(/[+/ ]/).filter(Boolean).sort((a, b) => (a === 'A' ? -1 : b === 'A' ? 1 : 0)).join('+')
        if (!(RECORD_SETS as readonly string[]).includes(set)) {
          throw new SpecError(`--service: records=${value} is not a record set AWS accepts (${RECORD_SETS.join(', ')})`)
        }
        service.records = set as RecordSet
        break
      }
      case 'ttl':
        service.ttl = integer('service', key, value)
        break
      case 'routing': {
        const policy = value.toUpperCase()
        if (policy !== 'MULTIVALUE' && policy !== 'WEIGHTED') throw new SpecError(`--service: routing=${value} must be MULTIVALUE or WEIGHTED`)
        service.routingPolicy = policy as RoutingPolicy
        break
      }
      case 'health': {
        const kind = ['none', 'custom'].includes(value.toLowerCase()) ? value.toLowerCase() : value.toUpperCase()
        if (!(HEALTH_KINDS as readonly string[]).includes(kind)) throw new SpecError(`--service: health=${value} must be one of ${HEALTH_KINDS.join(', ')}`)
        service.health = kind as HealthKind
        break
      }
      case 'path':
        service.resourcePath = value
        break
      case 'threshold':
        service.failureThreshold = integer('service', key, value)
        break
      default:
        throw new SpecError(`--service: unknown key "${key}" (keys: ${SERVICE_KEYS.join(', ')})`)
    }
  }
  if (service.name === undefined) throw new SpecError(`--service ${spec}: name= is required`)
  const records = service.records ?? defaultRecords
  const result: ServiceAnswer = { name: service.name, records, health: service.health }
  if (records !== 'NONE') {
    result.ttl = service.ttl ?? 60
    result.routingPolicy = service.routingPolicy ?? (records === 'CNAME' ? 'WEIGHTED' : 'MULTIVALUE')
  } else {
    if (service.ttl !== undefined) result.ttl = service.ttl
    if (service.routingPolicy !== undefined) result.routingPolicy = service.routingPolicy
  }
  if (service.health === 'HTTP' || service.health === 'HTTPS') result.resourcePath = service.resourcePath ?? '/'
  else if (service.resourcePath !== undefined) result.resourcePath = service.resourcePath
  if (service.health === 'HTTP' || service.health === 'HTTPS' || service.health === 'TCP') result.failureThreshold = service.failureThreshold ?? 1
  else if (service.failureThreshold !== undefined) result.failureThreshold = service.failureThreshold
  return result
}

export function parseInstanceSpec(spec: string, services: readonly ServiceAnswer[]): InstanceAnswer {
  const instance: Partial<InstanceAnswer> & { attributes: Record<string, string> } = { attributes: {} }
  for (const [key, value] of pairs('instance', spec)) {
    if (key.startsWith('attr.') && key.length > 5) {
      instance.attributes[key.slice(5)] = value
      continue
    }
    switch (key) {
      case 'service':
        instance.service = value
        break
      case 'id':
        instance.id = value
        break
      case 'ipv4':
        instance.ipv4 = value
        break
      case 'ipv6':
        instance.ipv6 = value
        break
      case 'cname':
        instance.cname = value
        break
      case 'port':
        instance.port = integer('instance', key, value)
        break
      default:
        throw new SpecError(`--instance: unknown key "${key}" (keys: ${INSTANCE_KEYS.join(', ')})`)
    }
  }
  if (instance.id === undefined) throw new SpecError(`--instance ${spec}: id= is required`)
  if (instance.service === undefined) {
    if (services.length !== 1) throw new SpecError(`--instance ${spec}: service= is required when there is more than one service`)
    instance.service = services[0].name
  }
  return instance as InstanceAnswer
}
