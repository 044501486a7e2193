import type { OperationSpec } from '../model/index.js'
import { structureShape } from '../model/index.js'
import { xformName } from '../model/names.js'

const NS = 'ns-e4anhexample0004'
const SRV = 'srv-e4anhexample0004'

/** Sample values for required members, by member name; `Op.Member` where one operation needs another. */
const SAMPLES: Record<string, string> = {
  Name: 'example-ns',
  'CreatePrivateDnsNamespace.Name': 'example.local',
  'CreatePublicDnsNamespace.Name': 'example.com',
  'CreateService.Name': 'web',
  Vpc: 'vpc-1a2b3c4d',
  NamespaceId: NS,
  Id: NS,
  'DeleteService.Id': SRV,
  'GetService.Id': SRV,
  'UpdateService.Id': SRV,
  ServiceId: SRV,
  InstanceId: 'web-1',
  NamespaceName: 'example-ns',
  ServiceName: 'web',
  OperationId: 'gv4g5meo7ndmeh4fqskygvk23d2fijwa-k9302yzd',
  ResourceARN: `arn:aws:servicediscovery:us-east-1:123456789012:service/${SRV}`,
  Tags: 'Key=team,Value=payments',
  TagKeys: 'team',
  Status: 'UNHEALTHY',
  Attributes: 'AWS_INSTANCE_IPV4=10.0.0.1,AWS_INSTANCE_PORT=8080,stage=beta',
  'UpdateServiceAttributes.Attributes': 'owner=payments',
  'DeleteServiceAttributes.Attributes': 'owner',
  'UpdateHttpNamespace.Namespace': "'Description=the shop'",
  'UpdatePrivateDnsNamespace.Namespace': "'Properties={DnsProperties={SOA={TTL=60}}}'",
  'UpdatePublicDnsNamespace.Namespace': "'Properties={DnsProperties={SOA={TTL=60}}}'",
  Service: "'DnsConfig={DnsRecords=[{Type=A,TTL=30}]}'",
}

/** Members the model leaves optional that a working call needs (CreateService needs a namespace). */
const ALSO_NEEDED: Record<string, string[]> = { CreateService: ['NamespaceId'] }


/** Extra examples where an optional parameter is what people reach for first. */
const EXTRA: Record<string, string[]> = {
  CreateService: [`--name web --namespace-id ${NS} --dns-config 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}]' --health-check-custom-config FailureThreshold=1`],
  DiscoverInstances: ['--namespace-name example-ns --service-name web --query-parameters stage=beta --health-status HEALTHY_OR_ELSE_ALL'],
  ListServices: [`--filters Name=NAMESPACE_ID,Values=${NS},Condition=EQ --output table`],
  ListInstances: [`--service-id ${SRV} --max-items 10 --query 'Instances[].Id' --output text`],
}

/** Help examples of an operation command: its required parameters with sample values, then extras. */
export function operationExamples(op: OperationSpec): string[] {
  const input = structureShape(op.input)
  const tokens = new Set(input.idempotencyTokens ?? [])
  const required = [...(input.required ?? []).filter((m) => !tokens.has(m)), ...(ALSO_NEEDED[op.name] ?? [])]
  const args = required.map((m) => `--${xformName(m)} ${SAMPLES[`${op.name}.${m}`] ?? SAMPLES[m] ?? `<${m}>`}`)
  const line = (rest: string) => `<%= config.bin %> ${op.cliName}${rest ? ` ${rest}` : ''}`
  return [line(args.join(' ')), ...(EXTRA[op.name] ?? []).map(line)]
}
