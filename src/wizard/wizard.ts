import type { BackendAnswer, HealthKind, InstanceAnswer, NamespaceAnswer, NamespaceType, RecordSet, RoutingPolicy, ServiceAnswer, WizardAnswers } from './answers.js'
import Table from 'cli-table3'
import { instanceNeeds } from './answers.js'
import type { Choice, Prompter } from './prompter.js'
import type { ExistingNamespace } from './rules.js'
import * as rules from './rules.js'
import { absolutePath, endpointProblem, regionProblem } from '../config/keys.js'
import { isLoopbackHost } from '../config/loopback.js'
import { CloudmapError } from '../registry/errors.js'

/** Answers given as flags; the wizard asks only for the others. */
export interface GivenAnswers {
  backend?: 'local' | 'remote'
  registryPath?: string
  endpointUrl?: string
  region?: string
  profile?: string
  namespaceType?: NamespaceType
  namespaceName?: string
  vpc?: string
  services?: ServiceAnswer[]
  instances?: InstanceAnswer[]
  saveProfile?: string
}

export interface WizardDefaults {
  backend: 'local' | 'remote'
  registryPath: string
  endpointUrl?: string
  region: string
  profile?: string
  /** The configured profile `init` would remember the backend in. */
  configProfile: string
}

export interface WizardDeps {
  prompter: Prompter
  given: GivenAnswers
  defaults: WizardDefaults
  /** Checks that a backend answers (ListNamespaces) and returns its namespaces; throws the reason. */
  probe(backend: BackendAnswer): Promise<ExistingNamespace[]>
}

const NAMESPACE_CHOICES: Choice<NamespaceType>[] = [
  { value: 'HTTP', name: 'HTTP', description: 'Instances are discovered through the API (discover-instances) only.' },
  { value: 'DNS_PRIVATE', name: 'Private DNS', description: 'Also DNS records in a Route 53 private hosted zone, visible in one VPC.' },
  { value: 'DNS_PUBLIC', name: 'Public DNS', description: 'Also DNS records in a Route 53 public hosted zone, for a domain you own.' },
]

const RECORD_CHOICES: Record<RecordSet, Omit<Choice<RecordSet>, 'value'>> = {
  A: { name: 'A', description: 'An IPv4 address per instance.' },
  AAAA: { name: 'AAAA', description: 'An IPv6 address per instance.' },
  'A+AAAA': { name: 'A and AAAA', description: 'Both an IPv4 and an IPv6 address per instance.' },
  SRV: { name: 'SRV', description: 'An address and a port per instance.' },
  CNAME: { name: 'CNAME', description: 'A domain name per instance (weighted routing only, no Route 53 health check).' },
  NONE: { name: 'None', description: 'No DNS records: discovered through the API only.' },
}

const HEALTH_NAMES: Record<HealthKind, Omit<Choice<HealthKind>, 'value'>> = {
  none: { name: 'None', description: 'Every instance counts as available.' },
  custom: { name: 'Custom', description: 'You report health with update-instance-custom-health-status.' },
  HTTP: { name: 'Route 53, HTTP', description: 'Route 53 requests a path on each instance over HTTP.' },
  HTTPS: { name: 'Route 53, HTTPS', description: 'Route 53 requests a path on each instance over HTTPS.' },
  TCP: { name: 'Route 53, TCP', description: 'Route 53 opens a TCP connection to each instance.' },
}

export const NAMESPACE_TYPE_NAMES: Record<NamespaceType, string> = { HTTP: 'HTTP', DNS_PRIVATE: 'private DNS', DNS_PUBLIC: 'public DNS' }

/**
 * The interactive part of `cloudmap init`: asks for everything not given as flags, validating each
 * answer as the API would. Writes nothing: the caller creates what the answers describe.
 * Returns undefined when the user declines at the final confirmation.
 */
export async function askAnswers(deps: WizardDeps): Promise<WizardAnswers | undefined> {
  const { prompter: p, given } = deps
  const { backend, existing } = await askBackend(deps)
  const namespace = await askNamespace(p, given, existing)
  const services = given.services?.length ? given.services : await askServices(p, namespace)
  const instances = given.instances ?? (await askInstances(p, services))
  const answers: WizardAnswers = { backend, namespace, services, instances }

  p.say('')
  p.say(describeAnswers(answers))
  if (given.saveProfile !== undefined) answers.saveProfile = given.saveProfile
  else if (differsFromDefault(backend, deps.defaults)) {
    const save = await p.confirm({ message: `Use this backend by default from now on (saved in profile ${deps.defaults.configProfile})?`, default: false })
    if (save) answers.saveProfile = deps.defaults.configProfile
  }
  const go = await p.confirm({ message: 'Create it now?', default: true })
  return go ? answers : undefined
}

function differsFromDefault(backend: BackendAnswer, d: WizardDefaults): boolean {
  if (backend.kind !== d.backend) return true
  return backend.kind === 'local' ? backend.registryPath !== d.registryPath : backend.endpointUrl !== d.endpointUrl || backend.region !== d.region
}

async function askBackend(deps: WizardDeps): Promise<{ backend: BackendAnswer; existing: ExistingNamespace[] }> {
  const { prompter: p, defaults } = deps
  let given = deps.given
  let previous: Partial<WizardDefaults> = {}
  for (;;) {
    const kind =
      given.backend ??
      (await p.select<'local' | 'remote'>({
        message: 'Where should the registry live?',
        default: previous.backend ?? defaults.backend,
        choices: [
          { value: 'local', name: 'A local file', description: 'The embedded registry: one JSON file, no server, no account.' },
          { value: 'remote', name: 'A remote endpoint', description: 'AWS Cloud Map, moto, LocalStack or cloudmap serve, through the AWS SDK.' },
        ],
      }))
    if (kind === 'local') {
      // The file is read (never written) as it is typed: an unreadable registry is refused at the prompt.
      let existing: ExistingNamespace[] = []
      const registryPath =
        given.registryPath ??
        (await p.input({
          message: 'Registry file',
          default: previous.registryPath ?? defaults.registryPath,
          validate: async (value) => {
            const verdict = rules.registryPath(value)
            if (verdict !== true) return verdict
            try {
              existing = await deps.probe({ kind: 'local', registryPath: absolutePath(value) })
              return true
            } catch (error) {
              return (error as Error).message
            }
          },
        }))
      // A path relative to here (or ~/...) is made absolute: the summary, the script and a saved profile name one file.
      const backend: BackendAnswer = { kind: 'local', registryPath: absolutePath(registryPath) }
      if (given.registryPath !== undefined) {
        try {
          existing = await deps.probe(backend)
        } catch (error) {
          p.say(`✖ ${(error as Error).message}`)
          given = {}
          previous = { backend: 'local', registryPath }
          continue
        }
      }
      return { backend, existing }
    }
    const endpointUrl =
      given.endpointUrl ??
      (await p.input({
        message: 'Endpoint URL',
        default: previous.endpointUrl ?? defaults.endpointUrl,
        validate: (v) => endpointProblem(v) ?? true,
      }))
    const region = given.region ?? (await p.input({ message: 'Region', default: previous.region ?? defaults.region, validate: (v) => regionProblem(v) ?? true }))
    const profileAnswer =
      given.profile ??
      (await p.input({ message: 'AWS profile for credentials (empty: the SDK default chain)', default: previous.profile ?? defaults.profile ?? '' }))
    let backend: BackendAnswer = { kind: 'remote', endpointUrl, region }
    if (profileAnswer !== '') backend.profile = profileAnswer
    for (;;) {
      p.say(`Checking that ${endpointUrl} answers…`)
      try {
        const existing = await deps.probe(backend)
        p.say(`✔ ${endpointUrl} answers (${existing.length} namespace${existing.length === 1 ? '' : 's'}).`)
        return { backend, existing }
      } catch (error) {
        p.say(`✖ ${endpointUrl} did not answer: ${(error as Error).message}`)
        // A local endpoint (cloudmap serve, moto, LocalStack) with no credentials configured: offer what such
        // servers take rather than send the user off to configure AWS keys.
        if (isLoopback(endpointUrl) && isMissingCredentials(error) && !backend.noSignRequest && !backend.testKeys) {
          const way = await p.select<'unsigned' | 'test' | 'change'>({
            message: `No AWS credentials are configured. ${endpointUrl} is on this machine: how should requests go?`,
            default: 'unsigned',
            choices: [
              { value: 'unsigned', name: 'Unsigned (--no-sign-request)', description: 'cloudmap serve without --auth takes unsigned requests.' },
              { value: 'test', name: 'Signed with test keys (test / test)', description: 'moto and LocalStack take any keys. (cloudmap serve --auth takes only its own keys: export them as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.)' },
              { value: 'change', name: 'Change the answers', description: 'Another endpoint, region or AWS profile.' },
            ],
          })
          if (way !== 'change') {
            backend = way === 'unsigned' ? { ...backend, noSignRequest: true } : { ...backend, testKeys: true }
            continue
          }
        } else {
          p.say('Change the answers, or press Ctrl-C to stop.')
        }
        given = {}
        previous = { backend: 'remote', endpointUrl, region, profile: profileAnswer }
        break
      }
    }
  }
}

/** An endpoint URL on this machine (config/loopback.ts). */
export function isLoopback(endpointUrl: string): boolean {
  let host: string
  try {
    host = new URL(endpointUrl).hostname
  } catch {
    return false
  }
  return isLoopbackHost(host)
}

/** The SDK found no credentials (the AWS CLI's "Unable to locate credentials", a configuration error). */
function isMissingCredentials(error: unknown): boolean {
  return error instanceof CloudmapError && error.kind === 'config' && error.message.startsWith('Unable to locate credentials')
}

async function askNamespace(p: Prompter, given: GivenAnswers, existing: ExistingNamespace[]): Promise<NamespaceAnswer> {
  const type = given.namespaceType ?? (await p.select({ message: 'Namespace type', choices: NAMESPACE_CHOICES, default: 'HTTP' as NamespaceType }))
  const examples: Record<NamespaceType, string> = { HTTP: 'myapp', DNS_PRIVATE: 'myapp.internal', DNS_PUBLIC: 'myapp.example.com' }
  const name = given.namespaceName ?? (await p.input({ message: `Namespace name (such as ${examples[type]})`, validate: rules.namespaceName(type, existing) }))
  const namespace: NamespaceAnswer = { type, name }
  if (type === 'DNS_PRIVATE') namespace.vpc = given.vpc ?? (await p.input({ message: 'VPC id', validate: rules.vpcId }))
  return namespace
}

async function askServices(p: Prompter, ns: NamespaceAnswer): Promise<ServiceAnswer[]> {
  const services: ServiceAnswer[] = []
  do {
    const name = await p.input({ message: 'Service name', validate: rules.serviceName(ns.type, services.map((s) => s.name)) })
    const records: RecordSet =
      ns.type === 'HTTP'
        ? 'NONE'
        : await p.select({
            message: 'DNS records for each instance',
            default: 'A' as RecordSet,
            choices: rules.recordSetsFor(ns.type).map((value) => ({ value, ...RECORD_CHOICES[value] })),
          })
    const service: ServiceAnswer = { name, records, health: 'none' }
    if (records !== 'NONE') {
      service.ttl = Number(await p.input({ message: 'TTL of the records, in seconds', default: '60', validate: rules.ttl }))
      const policies = rules.routingPoliciesFor(records)
      if (policies.length === 1) {
        p.say(`Routing policy: ${policies[0]} (the only one AWS accepts with ${records} records).`)
        service.routingPolicy = policies[0]
      } else {
        service.routingPolicy = await p.select<RoutingPolicy>({
          message: 'Routing policy',
          default: 'MULTIVALUE',
          choices: [
            { value: 'MULTIVALUE', name: 'Multivalue', description: 'DNS answers with up to eight healthy instances.' },
            { value: 'WEIGHTED', name: 'Weighted', description: 'DNS answers with one instance, picked at random.' },
          ],
        })
      }
    }
    service.health = await p.select<HealthKind>({
      message: 'Health check',
      default: 'none',
      choices: rules.healthChecksFor(ns.type, records).map(({ kind, refused }) => ({ value: kind, ...HEALTH_NAMES[kind], disabled: refused })),
    })
    if (service.health === 'HTTP' || service.health === 'HTTPS') {
      service.resourcePath = await p.input({ message: 'Path Route 53 requests', default: '/', validate: rules.resourcePath })
    }
    if (service.health === 'HTTP' || service.health === 'HTTPS' || service.health === 'TCP') {
      service.failureThreshold = Number(await p.input({ message: 'Failed checks before an instance is unhealthy (1-10)', default: '1', validate: rules.failureThreshold }))
    }
    services.push(service)
  } while (await p.confirm({ message: 'Add another service?', default: false }))
  return services
}

async function askInstances(p: Prompter, services: ServiceAnswer[]): Promise<InstanceAnswer[]> {
  const instances: InstanceAnswer[] = []
  for (const service of services) {
    const ids: string[] = []
    const needs = instanceNeeds(service)
    while (await p.confirm({ message: ids.length === 0 ? `Register an instance in ${service.name}?` : `Register another instance in ${service.name}?`, default: ids.length === 0 })) {
      const id = await p.input({ message: 'Instance id', default: `${service.name}-${ids.length + 1}`, validate: rules.instanceId(ids) })
      const instance: InstanceAnswer = { service: service.name, id, attributes: {} }
      const optional = (v: string) => (v === '' ? undefined : v)
      if (needs.cname) {
        instance.cname = await p.input({ message: 'Domain name the CNAME record points to', validate: rules.cname })
      } else {
        if (needs.ipv4 || !needs.ipv6) {
          const label = needs.ipv4 ? 'IPv4 address' : needs.eitherIp ? 'IPv4 address (empty: give an IPv6 address instead)' : 'IPv4 address (optional)'
          instance.ipv4 = optional(await p.input({ message: label, validate: rules.ipv4(needs.ipv4, service.records !== 'NONE') }))
        }
        if (needs.ipv6 || (needs.eitherIp && instance.ipv4 === undefined)) {
          const missing = needs.ipv6 ? undefined : rules.SRV_ADDRESS_MISSING
          instance.ipv6 = await p.input({ message: 'IPv6 address', validate: rules.ipv6(true, true, missing) })
        }
      }
      const portAnswer = await p.input({ message: needs.port ? 'Port' : 'Port (optional)', validate: rules.port(needs.port) })
      if (portAnswer.trim() !== '') instance.port = Number(portAnswer.trim())
      for (;;) {
        const reserved = { AWS_INSTANCE_IPV4: instance.ipv4 ?? '', AWS_INSTANCE_IPV6: instance.ipv6 ?? '', AWS_INSTANCE_CNAME: instance.cname ?? '' }
        const attribute = await p.input({ message: 'Custom attribute key=value (empty to finish)', validate: rules.customAttribute(instance.attributes, reserved) })
        if (attribute === '') break
        const eq = attribute.indexOf('=')
        instance.attributes[attribute.slice(0, eq)] = attribute.slice(eq + 1)
      }
      ids.push(id)
      instances.push(instance)
    }
  }
  return instances
}

export function describeBackend(backend: BackendAnswer): string {
  if (backend.kind === 'local') return `the registry file ${backend.registryPath}`
  const how = [backend.region, backend.profile && `profile ${backend.profile}`, backend.noSignRequest && 'unsigned', backend.testKeys && 'test keys'].filter(Boolean).join(', ')
  return `${backend.endpointUrl} (${how})`
}

export function describeService(s: ServiceAnswer): string {
  const parts: string[] = []
  if (s.records === 'NONE') parts.push('no DNS records')
  else parts.push(`${RECORD_CHOICES[s.records].name} records (TTL ${s.ttl ?? 60}s, ${(s.routingPolicy ?? 'MULTIVALUE').toLowerCase()})`)
  if (s.health === 'none') parts.push('no health check')
  else if (s.health === 'custom') parts.push('custom health check')
  else parts.push(`Route 53 ${s.health} health check${s.health === 'TCP' ? '' : ` on ${s.resourcePath ?? '/'}`}, threshold ${s.failureThreshold ?? 1}`)
  return parts.join(', ')
}

/** What is about to be made, in a few lines. */
export function describeAnswers(a: Pick<WizardAnswers, 'backend' | 'namespace' | 'services' | 'instances'>): string {
  const rows: [string, string][] = [['namespace', `${a.namespace.name} (${NAMESPACE_TYPE_NAMES[a.namespace.type]}${a.namespace.vpc ? `, ${a.namespace.vpc}` : ''})`]]
  for (const s of a.services) rows.push(['service', `${s.name}: ${describeService(s)}`])
  for (const i of a.instances) {
    const attrs = [i.ipv4, i.ipv6 && `[${i.ipv6}]`, i.cname].filter(Boolean).join(' ')
    const where = `${attrs}${i.port !== undefined ? `${attrs ? ':' : 'port '}${i.port}` : ''}`
    const custom = Object.entries(i.attributes).map(([k, v]) => `${k}=${v}`).join(' ')
    rows.push(['instance', `${i.id} in ${i.service}${where ? ` at ${where}` : ''}${custom ? ` (${custom})` : ''}`])
  }
  // Laid out by cli-table3: a borderless two-column table, indented, kinds in a column of their own.
  const table = new Table({ chars: BORDERLESS, style: { 'padding-left': 0, 'padding-right': 2, head: [], border: [] } })
  table.push(...rows)
  const lines = table.toString().split('\n').map((line) => `  ${line.trimEnd()}`)
  return [`To create in ${describeBackend(a.backend)}:`, ...lines].join('\n')
}

const BORDERLESS = Object.fromEntries(
  ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'].map((k) => [k, '']),
)
