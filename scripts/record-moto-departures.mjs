#!/usr/bin/env node
// Records test/backends/moto-departures.json: the contract cases moto_server fails, each with its true reason
// and the failure it shows (its first line, ids generalised), which the moto suite then expects exactly.
// It runs the moto suite with MOTO_RECORD=1 (every case runs as if moto followed AWS), reads vitest's JSON
// report, and gives each failed case the reason below whose title prefix it starts with. A failure no
// prefix names stops the recording: read it, find out why moto fails it, and name the reason here.
//
//   node scripts/record-moto-departures.mjs
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Failures of a kind: a case rejected nowhere else is one moto accepts where AWS says InvalidInput. */
const NOCHECK = "moto does not check input against the model's constraints or the documented cross-field rules: it accepts what AWS refuses with InvalidInput"
const REJECTED = 'Error: expected the call to be rejected'

/** Reason -> the title prefixes of the contract cases that fail on moto for it (found by reading each failure). */
const REASONS = [
  ["moto never returns ServiceCount, InstanceCount, ResourceOwner, CreatedByAccount or OwnerAccount", [
    "CreateHttpNamespace returns an OperationId",
    "NamespaceSummary.ServiceCount counts",
    "GetOperation describes an operation",
  ]],
  ["moto writes HostedZoneId as /hostedzone/<id>", [
    "DNS namespaces get a Route 53 hosted zone",
  ]],
  ["moto refuses an ARN where AWS takes an id or an ARN (it answers with the ARN as the message)", [
    "a namespace id or its ARN is accepted",
    "a service id or its ARN is accepted",
  ]],
  ["moto allows a second namespace with the same name", [
    "a second HTTP namespace with the same name",
    "a second public DNS namespace with the same name",
  ]],
  ["moto answers a private DNS name reused in the same VPC with ConflictingDomainExists, not NamespaceAlreadyExists", [
    "a private DNS namespace name is unique within its VPC",
  ]],
  ["moto gives DNS namespaces no HttpName (HttpProperties is empty)", [
    "a reused namespace Name gets a distinct HttpName",
    "DiscoverInstances finds a namespace by its HttpName",
  ]],
  ["moto allows a second service with the same name in a namespace", [
    "in an HTTP namespace, reached only through the API, service names may differ only by case",
  ]],
  ["moto ignores idempotency tokens (CreatorRequestId)", [
    "a retry with the same CreatorRequestId and request",
    "the same CreatorRequestId for a different request",
    "a CreateService retry with the same CreatorRequestId",
    "a RegisterInstance retry with the same CreatorRequestId",
  ]],
  ["moto answers UpdateHttpNamespace with a lower-case operationId, so clients see no OperationId", [
    "UpdateHttpNamespace changes the description",
    "UpdaterRequestId: a retry returns the same operation",
    "ListOperations filters TYPE and STATUS",
    "ListOperations filters NAMESPACE_ID and SERVICE_ID",
  ]],
  ["moto ignores Filters and MaxResults/NextToken of ListNamespaces, ListServices and ListOperations", [
    "ListNamespaces lists every namespace and pages",
    "NamespaceFilter TYPE with EQ",
    "NamespaceFilter NAME and HTTP_NAME",
    "NamespaceFilter RESOURCE_OWNER",
    "ListServices pages with MaxResults",
    "ServiceFilter NAMESPACE_ID takes",
    "ListOperations filters UPDATE_DATE BETWEEN",
    "ListOperations pages with MaxResults",
  ]],
  ["moto deletes a namespace that still has services", [
    "DeleteNamespace fails with ResourceInUse",
  ]],
  ["moto creates a service in a namespace that does not exist", [
    "CreateService in an unknown namespace fails with NamespaceNotFound",
  ]],
  ["moto drops the hosted zone and DnsConfig.RoutingPolicy when it applies an update", [
    "UpdatePrivateDnsNamespace changes the SOA TTL",
    "UpdateService changes record TTLs",
  ]],
  ["moto keeps a HealthCheckConfig that UpdateService omits, where AWS deletes it", [
    "UpdateService: DNS records and HealthCheckConfig omitted",
  ]],
  ["moto keeps HealthCheckCustomConfig as given, where AWS always sets FailureThreshold to 1", [
    "HealthCheckCustomConfig.FailureThreshold \"is no longer supported",
    "UpdateService can't add, change or remove HealthCheckCustomConfig",
  ]],
  ["moto returns Service.Type and DnsConfig.RoutingPolicy only when the request gave them", [
    "CreateService / GetService / ListServices",
    "a service without DnsConfig is Type HTTP",
  ]],
  ["moto does not implement Get/Update/DeleteServiceAttributes (it answers HTTP 500)", [
    "GetServiceAttributes returns the service ARN",
    "a service has at most 30 attributes",
    "service attribute requests are checked against the model",
    "Get/Update/DeleteServiceAttributes of an unknown service",
    "DeleteService fails with ResourceInUse while instances are registered",
  ]],
  ["moto appends a duplicate instance on re-registration instead of updating it", [
    "RegisterInstance, GetInstance, ListInstances; re-registering",
  ]],
  ["moto enforces no tag limit (50 tags per resource)", [
    "more than 50 tags on a new namespace",
    "Tags given to CreateService are on the service",
    "a resource has at most 50 tags",
  ]],
  ["moto reports HEALTHY for instances of a service without a health check, where AWS reports UNKNOWN and ignores HealthStatus", [
    "GetInstancesHealthStatus reports UNKNOWN",
    "DiscoverInstances answers with HttpInstanceSummary",
    "HealthStatus \"is ignored for services",
  ]],
  ["moto ignores AWS_INIT_HEALTH_STATUS: every instance starts HEALTHY", [
    "custom health starts HEALTHY unless",
    "HEALTHY returns healthy instances",
    "HEALTHY_OR_ELSE_ALL \"fails open\"",
  ]],
  ["moto accepts UpdateInstanceCustomHealthStatus on a service without HealthCheckCustomConfig (no CustomHealthNotFound)", [
    "UpdateInstanceCustomHealthStatus on a service without HealthCheckCustomConfig",
  ]],
  ["moto answers an invalid Status with CustomHealthNotFound, not InvalidInput", [
    "UpdateInstanceCustomHealthStatus: Status is HEALTHY or UNHEALTHY",
  ]],
  ["moto does not report unknown Instances of GetInstancesHealthStatus (InstanceNotFound)", [
    "GetInstancesHealthStatus limits the answer",
  ]],
  ["moto returns every instance when MaxResults is omitted (AWS returns up to 100)", [
    "without MaxResults, DiscoverInstances",
  ]],
  ["moto's DiscoverInstancesRevision counts the instances (it falls on a deregister) and differs from DiscoverInstances' InstancesRevision", [
    "InstancesRevision increases on every register",
  ]],
  ["moto matches DNS service names case-sensitively", [
    "service names of DNS namespaces match case-insensitively",
  ]],
  ["moto returns instances in registration order", [
    "DiscoverInstances returns every matching instance, in random order",
  ]],
  ["moto sends OperationNotFound with an empty message", [
    "GetOperation of an unknown id fails",
  ]],
  ["moto does not check that a tagged resource exists", [
    "tags of an unknown resource ARN",
    "tags go with their resource",
  ]],
]

const report = join(mkdtempSync(join(tmpdir(), 'moto-departures-')), 'report.json')
spawnSync('npx', ['vitest', 'run', 'test/backends/moto.test.ts', '--reporter=json', `--outputFile=${report}`], {
  stdio: 'inherit',
  env: { ...process.env, MOTO_RECORD: '1' },
})
const results = JSON.parse(readFileSync(report, 'utf8')).testResults.flatMap((f) => f.assertionResults)
if (results.length === 0) throw new Error('the moto suite ran no case (is moto_server on PATH?)')

/** The first line of a failure as a pattern: ids and generated names vary from run to run. */
function pattern(first) {
  return `^${first
    .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    .replace(/\\\/hostedzone\\\/[A-Z0-9]+/g, '\\/hostedzone\\/[A-Z0-9]+')
    .replace(/[a-z0-9-]+…/g, '[a-z0-9-]+…')
    .replace(/\b(?=[a-z0-9]*\d)[a-z0-9]{4,}\b/g, '[a-z0-9]+')}$`
}

const departures = []
const unexplained = []
for (const r of results.filter((r) => r.status === 'failed')) {
  const first = r.failureMessages[0].split('\n')[0]
  const named = REASONS.find(([, prefixes]) => prefixes.some((p) => r.title.startsWith(p)))
  const reason = named?.[0] ?? (first === REJECTED ? NOCHECK : undefined)
  if (reason === undefined) unexplained.push(`${r.title}\n  ${first}`)
  else departures.push({ title: r.title, reason, failure: pattern(first) })
}
if (unexplained.length > 0) {
  console.error(`No reason for these failures on moto:\n${unexplained.join('\n')}`)
  process.exit(1)
}
const unused = REASONS.flatMap(([, prefixes]) => prefixes).filter((p) => !departures.some((d) => d.title.startsWith(p)))
if (unused.length > 0) console.error(`(these prefixes matched no failure: ${unused.join('; ')})`)
const out = join(import.meta.dirname, '..', 'test', 'backends', 'moto-departures.json')
writeFileSync(out, `${JSON.stringify(departures, null, 1)}\n`)
console.error(`${departures.length} departures of ${results.length} cases written to ${out}`)
