import { describe, expect, it } from 'vitest'
import { apply, diff, fileState, scratch, seedRich } from './support.js'

/**
 * Every kind of bad document is refused before anything changes (exit 252), naming where in the
 * document (path and line) and why.
 */
const CASES: { name: string; doc: string; problems: string[] }[] = [
  {
    name: 'not YAML or JSON',
    doc: 'Namespaces:\n  shop:\n    Type: HTTP\n   Services: [\n',
    problems: ['(line 4)'],
  },
  {
    name: 'a name given twice',
    doc: 'Namespaces:\n  shop:\n    Type: HTTP\n    Services:\n      web: {}\n      web: {}\n',
    problems: ['Namespaces.shop.Services.web (line 6): a name or key is given twice'],
  },
  {
    name: 'a name given twice in JSON',
    doc: '{"Namespaces": {"shop": {"Type": "HTTP"}, "shop": {"Type": "HTTP"}}}',
    problems: ['Namespaces.shop (line 1): a name or key is given twice'],
  },
  {
    name: 'no Namespaces',
    doc: 'Namespace:\n  shop:\n    Type: HTTP\n',
    problems: ['(document) (line 1): Namespaces is required', 'Namespace (line 1): unknown key "Namespace"'],
  },
  {
    name: 'an unknown key',
    doc: 'Namespaces:\n  shop:\n    Type: HTTP\n    Services:\n      web:\n        Instance:\n          web-1: {}\n',
    problems: ['Namespaces.shop.Services.web.Instance (line 6): unknown key "Instance"'],
  },
  {
    name: 'a missing type and a wrong enum',
    doc: 'Namespaces:\n  a:\n    Description: x\n  b:\n    Type: DNS\n',
    problems: ['Namespaces.a (line 3): Type is required', 'Namespaces.b.Type (line 5): must be one of HTTP, DNS_PUBLIC, DNS_PRIVATE'],
  },
  {
    name: 'wrong value types',
    doc: 'Namespaces:\n  shop:\n    Type: HTTP\n    Services:\n      web:\n        Instances:\n          web-1:\n            AWS_INSTANCE_PORT: 8080\n        Tags: [a, b]\n',
    problems: ['Namespaces.shop.Services.web.Instances.web-1.AWS_INSTANCE_PORT (line 8): must be string', 'Namespaces.shop.Services.web.Tags (line 9): must be object'],
  },
  {
    name: 'out of range numbers',
    doc: 'Namespaces:\n  example.com:\n    Type: DNS_PUBLIC\n    Services:\n      www:\n        DnsConfig:\n          DnsRecords:\n            - Type: A\n              TTL: -1\n        HealthCheckConfig:\n          Type: HTTP\n          FailureThreshold: 11\n',
    problems: ['Namespaces["example.com"].Services.www.DnsConfig.DnsRecords[0].TTL (line 9): must be >= 0', 'Namespaces["example.com"].Services.www.HealthCheckConfig.FailureThreshold (line 12): must be <= 10'],
  },
  {
    name: 'names AWS refuses',
    doc: 'Namespaces:\n  "not a domain":\n    Type: DNS_PUBLIC\n  shop:\n    Type: HTTP\n    Services:\n      "we b": {}\n      web:\n        Instances:\n          "bad id!": {}\n',
    problems: [
      `Namespaces["not a domain"] (line 3): 1 validation error detected: Value 'not a domain' at 'Name' failed to satisfy constraint: Member must satisfy regular expression pattern`,
      `Namespaces.shop.Services["we b"] (line 7): 1 validation error detected: Value 'we b' at 'Name' failed to satisfy constraint`,
      `Namespaces.shop.Services.web.Instances["bad id!"] (line 10): 1 validation error detected: Value 'bad id!' at 'InstanceId' failed to satisfy constraint`,
    ],
  },
  {
    name: 'settings AWS refuses together',
    doc: [
      'Namespaces:',
      '  shop:',
      '    Type: HTTP',
      '    Vpc: vpc-1',
      '    Properties: {DnsProperties: {SOA: {TTL: 60}}}',
      '    Services:',
      '      web:',
      '        DnsConfig: {DnsRecords: [{Type: A, TTL: 60}]}',
      '  internal:',
      '    Type: DNS_PRIVATE',
      '    Services:',
      '      alias:',
      '        DnsConfig: {RoutingPolicy: MULTIVALUE, DnsRecords: [{Type: CNAME, TTL: 60}]}',
      '      checked:',
      '        HealthCheckConfig: {Type: HTTP}',
      '      Web: {}',
      '      web: {}',
      '',
    ].join('\n'),
    problems: [
      'Namespaces.shop.Vpc (line 4): only DNS_PRIVATE namespaces have a VPC',
      'Namespaces.shop.Properties (line 5): HTTP namespaces have no DNS properties (SOA)',
      'Namespaces.shop.Services.web.DnsConfig (line 8): services in HTTP namespaces have no DNS records',
      'Namespaces.internal.Services.alias.DnsConfig (line 13): A CNAME record requires RoutingPolicy WEIGHTED in DnsConfig.',
      'Namespaces.internal.Services.checked.HealthCheckConfig (line 15): Route 53 health checks (HealthCheckConfig) are not supported in private DNS namespaces',
      "Namespaces.internal.Services.web (line 17): a DNS namespace can't have both Web and web: service names differ only by case",
    ],
  },
  {
    name: 'instances AWS refuses',
    doc: [
      'Namespaces:',
      '  example.com:',
      '    Type: DNS_PUBLIC',
      '    Services:',
      '      www:',
      '        DnsConfig: {DnsRecords: [{Type: A, TTL: 60}, {Type: SRV, TTL: 60}]}',
      '      api:',
      '        DnsConfig: {DnsRecords: [{Type: A, TTL: 60}]}',
      '        Instances:',
      '          no-ip: {stage: prod}',
      '          bad-ip: {AWS_INSTANCE_IPV4: 300.1.1.1}',
      '          bad-health: {AWS_INSTANCE_IPV4: 10.0.0.1, AWS_INIT_HEALTH_STATUS: MAYBE}',
      '',
    ].join('\n'),
    problems: [
      "Namespaces[\"example.com\"].Services.www.DnsConfig (line 6): DnsConfig.DnsRecords can't combine A and SRV records",
      'Namespaces["example.com"].Services.api.Instances.no-ip (line 10): AWS_INSTANCE_IPV4 is required: service api has an A record.',
      'Namespaces["example.com"].Services.api.Instances.bad-ip (line 11): AWS_INSTANCE_IPV4 must be an IPv4 address such as 192.0.2.44, not 300.1.1.1.',
      'Namespaces["example.com"].Services.api.Instances.bad-health (line 12): AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY, not MAYBE.',
    ],
  },
  {
    name: 'reserved tags and quotas',
    doc: JSON.stringify(
      {
        Namespaces: {
          shop: {
            Type: 'HTTP',
            Tags: { 'aws:owner': 'me' },
            Services: { web: { Instances: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`i-${i}`, {}])), Attributes: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v'])) } },
          },
        },
      },
      null,
      2,
    ),
    problems: [
      'Namespaces.shop.Tags (line 5): Tag keys starting with "aws:" are reserved for AWS use: aws:owner',
      "Namespaces.shop.Services.web.Attributes (line 1013): 1 validation error detected: Value '{\"k0\":\"v\",",
      "at 'Attributes' failed to satisfy constraint: Member must have length less than or equal to 30",
      'Namespaces.shop.Services.web.Instances (line 10): 1001 instances; a service has at most 1000',
    ],
  },
]

describe('bad documents are refused before anything changes', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const s = scratch()
      await seedRich(s.registry)
      const before = fileState(s.registry)
      const file = s.file('bad.yaml', c.doc)
      const r = await apply({ file, yes: true, registry: s.registry })
      expect(r.stdout).toBe('')
      expect(r.status).toBe(252)
      expect(r.stderr).toContain(`cloudmap: [ERROR]: The document ${file} is not valid; nothing was changed:\n`)
      for (const p of c.problems) expect(r.stderr).toContain(p)
      expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(fileState(s.registry)).toBe(before)
      // diff reads documents the same way.
      expect((await diff({ file, registry: s.registry })).status).toBe(252)
    })
  }

  it('a missing file', async () => {
    const r = await apply({ file: '/nonexistent/doc.yaml', yes: true })
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('Could not read the document /nonexistent/doc.yaml: no such file')
  })
})
