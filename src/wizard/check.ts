import type { InstanceAnswer, NamespaceAnswer, ServiceAnswer, WizardAnswers } from './answers.js'
import { instanceNeeds } from './answers.js'
import type { ExistingNamespace, Verdict } from './rules.js'
import * as rules from './rules.js'

/**
 * The prompts' checks applied to answers that came from flags (`init --yes`): every problem, each
 * prefixed with what it concerns, so one run reports them all.
 */
export function answerProblems(answers: Pick<WizardAnswers, 'namespace' | 'services' | 'instances'>, existing: readonly ExistingNamespace[] = []): string[] {
  const problems: string[] = []
  const add = (what: string, verdict: Verdict) => {
    if (verdict !== true) problems.push(`${what}: ${verdict}`)
  }
  problems.push(...namespaceProblems(answers.namespace, existing))
  const names: string[] = []
  for (const service of answers.services) {
    const what = `service ${service.name || '(no name)'}`
    add(what, rules.serviceName(answers.namespace.type, names)(service.name))
    names.push(service.name)
    for (const p of serviceProblems(answers.namespace, service)) problems.push(`${what}: ${p}`)
  }
  const ids = new Map<string, string[]>()
  for (const instance of answers.instances) {
    const service = answers.services.find((s) => s.name === instance.service)
    const what = `instance ${instance.id || '(no id)'}`
    if (!service) {
      problems.push(`${what}: there is no service named "${instance.service}" (services: ${answers.services.map((s) => s.name).join(', ') || 'none'}).`)
      continue
    }
    const taken = ids.get(service.name) ?? []
    add(what, rules.instanceId(taken)(instance.id))
    ids.set(service.name, [...taken, instance.id])
    for (const p of instanceProblems(service, instance)) problems.push(`${what}: ${p}`)
  }
  return problems
}

export function namespaceProblems(namespace: NamespaceAnswer, existing: readonly ExistingNamespace[] = []): string[] {
  const problems: string[] = []
  const name = rules.namespaceName(namespace.type, existing)(namespace.name)
  if (name !== true) problems.push(`namespace: ${name}`)
  if (namespace.type === 'DNS_PRIVATE') {
    const vpc = rules.vpcId(namespace.vpc ?? '')
    if (vpc !== true) problems.push(`namespace: ${vpc}`)
  } else if (namespace.vpc !== undefined) {
    problems.push('namespace: only a private DNS namespace takes a VPC.')
  }
  return problems
}

export function serviceProblems(namespace: NamespaceAnswer, service: ServiceAnswer): string[] {
  const problems: string[] = []
  if (!rules.recordSetsFor(namespace.type).includes(service.records)) {
    problems.push(`an HTTP namespace has no DNS records (records=${service.records}); use records=NONE or a DNS namespace.`)
  }
  if (service.records === 'NONE') {
    if (service.ttl !== undefined) problems.push('a TTL needs DNS records.')
    if (service.routingPolicy !== undefined) problems.push('a routing policy needs DNS records.')
  } else {
    const ttl = rules.ttl(String(service.ttl ?? ''))
    if (ttl !== true) problems.push(ttl)
    if (service.routingPolicy !== undefined && !rules.routingPoliciesFor(service.records).includes(service.routingPolicy)) {
      problems.push(`AWS only accepts WEIGHTED routing with CNAME records, not ${service.routingPolicy}.`)
    }
  }
  const health = rules.healthChecksFor(namespace.type, service.records).find((h) => h.kind === service.health)
  if (!health) problems.push(`unknown health check "${service.health}".`)
  else if (health.refused !== undefined) problems.push(`${health.refused}.`)
  const route53 = service.health === 'HTTP' || service.health === 'HTTPS' || service.health === 'TCP'
  if (service.resourcePath !== undefined) {
    if (service.health !== 'HTTP' && service.health !== 'HTTPS') problems.push('a health check path needs an HTTP or HTTPS health check.')
    else {
      const path = rules.resourcePath(service.resourcePath)
      if (path !== true) problems.push(path)
    }
  }
  if (service.failureThreshold !== undefined) {
    if (!route53) problems.push('a failure threshold needs a Route 53 (HTTP, HTTPS or TCP) health check.')
    else {
      const t = rules.failureThreshold(String(service.failureThreshold))
      if (t !== true) problems.push(t)
    }
  }
  return problems
}

export function instanceProblems(service: ServiceAnswer, instance: InstanceAnswer): string[] {
  const problems: string[] = []
  const needs = instanceNeeds(service)
  const add = (verdict: Verdict) => {
    if (verdict !== true) problems.push(verdict)
  }
  const dns = service.records !== 'NONE'
  add(rules.ipv4(needs.ipv4, dns)(instance.ipv4 ?? ''))
  add(rules.ipv6(needs.ipv6, dns)(instance.ipv6 ?? ''))
  if (needs.eitherIp && instance.ipv4 === undefined && instance.ipv6 === undefined) problems.push(rules.SRV_ADDRESS_MISSING)
  if (needs.cname) add(rules.cname(instance.cname ?? ''))
  else if (instance.cname !== undefined) problems.push('only a service with a CNAME record takes a CNAME.')
  add(rules.port(needs.port)(instance.port === undefined ? '' : String(instance.port)))
  const custom: Record<string, string> = {}
  const reserved = { AWS_INSTANCE_IPV4: instance.ipv4 ?? '', AWS_INSTANCE_IPV6: instance.ipv6 ?? '', AWS_INSTANCE_CNAME: instance.cname ?? '' }
  for (const [key, value] of Object.entries(instance.attributes)) {
    add(rules.customAttribute(custom, reserved)(`${key}=${value}`))
    custom[key] = value
  }
  return problems
}
