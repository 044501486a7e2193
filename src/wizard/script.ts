import type { BackendAnswer, InstanceAnswer, NamespaceAnswer, ServiceAnswer, WizardAnswers } from './answers.js'
import { instanceAttributes, TEST_KEYS } from './answers.js'

/** A word for a POSIX shell: as is when safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** A shell variable reference, double-quoted: "$name". */
const ref = (name: string) => ({ raw: `"$${name}"` })
type Word = string | { raw: string }

/** Width after which a command continues on the next line (with a backslash) before an option. */
export const SCRIPT_WIDTH = 96

function line(words: Word[], prefix = '', suffix = ''): string {
  const quoted = words.map((w) => (typeof w === 'string' ? shellQuote(w) : w.raw))
  // Options start groups (`--name value`); groups fill a line up to SCRIPT_WIDTH.
  const groups: string[] = []
  for (const word of quoted) {
    if (groups.length === 0 || word.startsWith('--')) groups.push(word)
    else groups[groups.length - 1] += ` ${word}`
  }
  const lines = [prefix + groups[0]]
  for (const group of groups.slice(1)) {
    const last = lines.length - 1
    if (lines[last].length + 1 + group.length + 2 > SCRIPT_WIDTH) lines.push(`    ${group}`)
    else lines[last] += ` ${group}`
  }
  return lines.join(' \\\n') + suffix
}

/** The chosen backend, exported once at the top of the script (the variables cloudmap reads). */
export function backendExports(backend: BackendAnswer): string[] {
  if (backend.kind === 'local') return [`export CLOUDMAP_REGISTRY=${shellQuote(backend.registryPath)}`]
  const exports = [`export AWS_ENDPOINT_URL_SERVICEDISCOVERY=${shellQuote(backend.endpointUrl)}`, `export AWS_REGION=${shellQuote(backend.region)}`]
  if (backend.profile !== undefined) exports.push(`export AWS_PROFILE=${shellQuote(backend.profile)}`)
  if (backend.testKeys) exports.push(`export AWS_ACCESS_KEY_ID=${TEST_KEYS.accessKeyId}`, `export AWS_SECRET_ACCESS_KEY=${TEST_KEYS.secretAccessKey}`)
  return exports
}

const SAFE_SHORTHAND = /^[A-Za-z0-9_.:/@-]*$/

/** --attributes as shorthand when every key and value is plain, else as JSON. */
export function attributesArgument(attributes: Record<string, string>): string {
  const entries = Object.entries(attributes)
  if (entries.length === 0) return '{}'
  if (entries.every(([k, v]) => SAFE_SHORTHAND.test(k) && SAFE_SHORTHAND.test(v) && k !== '' && v !== '')) return entries.map(([k, v]) => `${k}=${v}`).join(',')
  return JSON.stringify(attributes)
}

export function dnsConfigArgument(service: ServiceAnswer): string | undefined {
  if (service.records === 'NONE') return undefined
  const types = service.records === 'A+AAAA' ? ['A', 'AAAA'] : [service.records]
  return `RoutingPolicy=${service.routingPolicy ?? 'MULTIVALUE'},DnsRecords=[${types.map((t) => `{Type=${t},TTL=${service.ttl ?? 60}}`).join(',')}]`
}

export function healthCheckArgument(service: ServiceAnswer): string[] {
  switch (service.health) {
    case 'none':
      return []
    case 'custom':
      return ['--health-check-custom-config', 'FailureThreshold=1']
    default: {
      const parts = [`Type=${service.health}`]
      if (service.resourcePath !== undefined && service.health !== 'TCP') parts.push(`ResourcePath=${service.resourcePath}`)
      parts.push(`FailureThreshold=${service.failureThreshold ?? 1}`)
      return ['--health-check-config', parts.join(',')]
    }
  }
}

export const NAMESPACE_COMMANDS = { HTTP: 'create-http-namespace', DNS_PRIVATE: 'create-private-dns-namespace', DNS_PUBLIC: 'create-public-dns-namespace' } as const

/** Shell variable names for the services' ids: srv_<name>, made unique. */
export function serviceVariables(services: readonly ServiceAnswer[]): Map<string, string> {
  const vars = new Map<string, string>()
  const used = new Set(['op', 'ns_id'])
  for (const s of services) {
    const base = `srv_${s.name.replace(/[^A-Za-z0-9_]/g, '_')}`
    let name = base
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`
    used.add(name)
    vars.set(s.name, name)
  }
  return vars
}

/** `cloudmap`, with --no-sign-request when the backend takes unsigned requests (no variable says that). */
function cloudmapWords(backend: BackendAnswer): Word[] {
  return backend.kind === 'remote' && backend.noSignRequest ? ['cloudmap', '--no-sign-request'] : ['cloudmap']
}

function namespaceLines(cli: Word[], ns: NamespaceAnswer): string[] {
  const create: Word[] = [...cli, NAMESPACE_COMMANDS[ns.type], '--name', ns.name]
  if (ns.vpc !== undefined) create.push('--vpc', ns.vpc)
  return [
    line([...create, '--query', 'OperationId', '--output', 'text'], 'op=$(', ')'),
    line([...cli, 'get-operation', '--operation-id', ref('op'), '--query', 'Operation.Targets.NAMESPACE', '--output', 'text'], 'ns_id=$(', ')'),
  ]
}

function serviceLine(cli: Word[], ns: NamespaceAnswer, s: ServiceAnswer, variable: string): string {
  const words: Word[] = [...cli, 'create-service', '--name', s.name, '--namespace-id', ref('ns_id')]
  const dns = dnsConfigArgument(s)
  if (dns !== undefined) words.push('--dns-config', dns)
  else if (ns.type !== 'HTTP') words.push('--type', 'HTTP')
  words.push(...healthCheckArgument(s))
  return line([...words, '--query', 'Service.Id', '--output', 'text'], `${variable}=$(`, ')')
}

/** The OperationId a registration prints is of no use to the script: not shown. */
function instanceLine(cli: Word[], i: InstanceAnswer, variable: string): string {
  return line([...cli, 'register-instance', '--service-id', ref(variable), '--instance-id', i.id, '--attributes', attributesArgument(instanceAttributes(i))], '', ' >/dev/null')
}

export function discoverLine(ns: NamespaceAnswer, s: ServiceAnswer, cli: Word[] = ['cloudmap']): string {
  return line([...cli, 'discover-instances', '--namespace-name', ns.name, '--service-name', s.name])
}

/**
 * The same setup as a shell script of non-interactive cloudmap commands: ids are captured in variables
 * (--query ... --output text), so it runs as is against a fresh registry or endpoint.
 */
export function equivalentScript(answers: Pick<WizardAnswers, 'backend' | 'namespace' | 'services' | 'instances'>): string {
  const vars = serviceVariables(answers.services)
  const cli = cloudmapWords(answers.backend)
  const lines = ['#!/bin/sh', 'set -e', ...backendExports(answers.backend), ...namespaceLines(cli, answers.namespace)]
  for (const s of answers.services) lines.push(serviceLine(cli, answers.namespace, s, vars.get(s.name)!))
  for (const i of answers.instances) lines.push(instanceLine(cli, i, vars.get(i.service)!))
  for (const s of answers.services) lines.push(discoverLine(answers.namespace, s, cli))
  return `${lines.join('\n')}\n`
}
