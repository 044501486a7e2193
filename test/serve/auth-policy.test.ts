import { describe, expect, it } from 'vitest'
import type { PolicyDocument, RequestContext, StatementDocument } from '../../src/serve/auth/policy.js'
import { checkPolicies, compilePolicies } from '../../src/serve/auth/policy.js'

// IAM's evaluation of identity-based policies, as serve's access control does it: the rules of the IAM
// User Guide (policy evaluation logic, condition operators, multivalued keys) one by one.

const NS = 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-aaaaaaaaaaaaaaaa'
const SRV = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-bbbbbbbbbbbbbbbb'

function context(keys: Record<string, string | string[]> = {}): RequestContext {
  const map = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]))
  return { get: (key) => map.get(key) }
}

function decide(statements: PolicyDocument['Statement'], action: string, resource: string, keys: Record<string, string | string[]> = {}) {
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: statements }
  expect(checkPolicies([doc], ['policies'])).toEqual([])
  return compilePolicies([doc]).evaluate(action, resource, context(keys))
}

describe('IAM evaluation: deny, allow, implicit deny', () => {
  it('nothing allows: implicit deny', () => {
    expect(decide([], 'servicediscovery:GetNamespace', NS)).toBe('ImplicitDeny')
  })
  it('an explicit deny wins over any allow', () => {
    const s = [
      { Effect: 'Allow' as const, Action: 'servicediscovery:*', Resource: '*' },
      { Effect: 'Deny' as const, Action: 'servicediscovery:Delete*', Resource: NS },
    ]
    expect(decide(s, 'servicediscovery:DeleteNamespace', NS)).toBe('ExplicitDeny')
    expect(decide(s, 'servicediscovery:GetNamespace', NS)).toBe('Allow')
    expect(decide(s, 'servicediscovery:DeleteService', SRV)).toBe('Allow')
  })
  it('actions match case-insensitively with * and ?; resources case-sensitively', () => {
    expect(decide([{ Effect: 'Allow', Action: 'ServiceDiscovery:get*', Resource: '*' }], 'servicediscovery:GetService', SRV)).toBe('Allow')
    expect(decide([{ Effect: 'Allow', Action: 'servicediscovery:GetServic?', Resource: '*' }], 'servicediscovery:GetService', SRV)).toBe('Allow')
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:servicediscovery:*:*:service/SRV-*' }], 'servicediscovery:GetService', SRV)).toBe('ImplicitDeny')
  })
  it('NotAction and NotResource apply to everything they do not name', () => {
    expect(decide([{ Effect: 'Allow', NotAction: 'servicediscovery:Delete*', Resource: '*' }], 'servicediscovery:DeleteService', SRV)).toBe('ImplicitDeny')
    expect(decide([{ Effect: 'Allow', NotAction: 'servicediscovery:Delete*', Resource: '*' }], 'servicediscovery:GetService', SRV)).toBe('Allow')
    expect(decide([{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:servicediscovery:*:*:namespace/*' }], 'servicediscovery:GetNamespace', NS)).toBe('ImplicitDeny')
    expect(decide([{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:servicediscovery:*:*:namespace/*' }], 'servicediscovery:GetService', SRV)).toBe('Allow')
  })
  it('an action without a resource type is checked against "*": only Resource "*" (or a wildcard matching it) applies', () => {
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:servicediscovery:*:*:*' }], 'servicediscovery:ListNamespaces', '*')).toBe('ImplicitDeny')
    expect(decide([{ Effect: 'Allow', Action: '*', Resource: '*' }], 'servicediscovery:ListNamespaces', '*')).toBe('Allow')
  })
  it('fixedDecision: only when no statement for the action has a resource or a condition', () => {
    const p = compilePolicies([{ Statement: [{ Effect: 'Allow', Action: 'servicediscovery:Get*', Resource: '*' }, { Effect: 'Allow', Action: 'servicediscovery:Discover*', Resource: NS }] }])
    expect(p.fixedDecision('servicediscovery:GetService')).toBe('Allow')
    expect(p.fixedDecision('servicediscovery:DiscoverInstances')).toBeUndefined()
    expect(p.fixedDecision('servicediscovery:DeleteService')).toBe('ImplicitDeny')
  })
})

describe('IAM condition operators', () => {
  const allowIf = (condition: Record<string, Record<string, unknown>>) => [{ Effect: 'Allow' as const, Action: '*', Resource: '*', Condition: condition }]
  const d = (condition: Record<string, Record<string, unknown>>, keys: Record<string, string | string[]> = {}) => decide(allowIf(condition), 'servicediscovery:DiscoverInstances', NS, keys)

  it('String operators; several values of a key are alternatives, several keys all must match', () => {
    expect(d({ StringEquals: { 'servicediscovery:NamespaceName': ['prod', 'stage'] } }, { 'servicediscovery:NamespaceName': 'stage' })).toBe('Allow')
    expect(d({ StringEquals: { 'servicediscovery:NamespaceName': 'prod' } }, { 'servicediscovery:NamespaceName': 'Prod' })).toBe('ImplicitDeny')
    expect(d({ StringEqualsIgnoreCase: { 'servicediscovery:NamespaceName': 'prod' } }, { 'servicediscovery:NamespaceName': 'Prod' })).toBe('Allow')
    expect(d({ StringLike: { 'servicediscovery:ServiceName': 'web-*' } }, { 'servicediscovery:ServiceName': 'web-1' })).toBe('Allow')
    expect(d({ StringNotLike: { 'servicediscovery:ServiceName': 'web-*' } }, { 'servicediscovery:ServiceName': 'web-1' })).toBe('ImplicitDeny')
    expect(d({ StringEquals: { 'servicediscovery:NamespaceName': 'prod', 'servicediscovery:ServiceName': 'web' } }, { 'servicediscovery:NamespaceName': 'prod', 'servicediscovery:ServiceName': 'api' })).toBe('ImplicitDeny')
  })
  it('an absent key fails positive operators, passes negated ones and ...IfExists; Null tests presence', () => {
    expect(d({ StringEquals: { 'aws:ResourceTag/env': 'prod' } })).toBe('ImplicitDeny')
    expect(d({ StringNotEquals: { 'aws:ResourceTag/env': 'prod' } })).toBe('Allow')
    expect(d({ StringEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } })).toBe('Allow')
    expect(d({ StringEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } }, { 'aws:ResourceTag/env': 'dev' })).toBe('ImplicitDeny')
    expect(d({ Null: { 'aws:ResourceTag/env': 'true' } })).toBe('Allow')
    expect(d({ Null: { 'aws:ResourceTag/env': 'false' } })).toBe('ImplicitDeny')
    expect(d({ Null: { 'aws:ResourceTag/env': 'false' } }, { 'aws:ResourceTag/env': 'x' })).toBe('Allow')
  })
  it('ForAllValues holds for an absent key and needs every value to match; ForAnyValue needs one', () => {
    const tagKeys = (keys?: string[]): Record<string, string[]> => (keys ? { 'aws:TagKeys': keys } : {})
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, tagKeys(['env']))).toBe('Allow')
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, tagKeys(['env', 'owner']))).toBe('ImplicitDeny')
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, tagKeys())).toBe('Allow')
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, tagKeys())).toBe('ImplicitDeny')
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, tagKeys(['owner', 'env']))).toBe('Allow')
    expect(d({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, tagKeys(['env']))).toBe('ImplicitDeny')
  })
  it('Arn, Numeric, Date, Bool and IpAddress operators', () => {
    expect(d({ ArnLike: { 'servicediscovery:NamespaceArn': 'arn:aws:servicediscovery:*:123456789012:namespace/*' } }, { 'servicediscovery:NamespaceArn': NS })).toBe('Allow')
    // Wildcards stay within one of the ARN's six parts.
    expect(d({ ArnLike: { 'servicediscovery:NamespaceArn': 'arn:aws:servicediscovery:*:namespace/*' } }, { 'servicediscovery:NamespaceArn': NS })).toBe('ImplicitDeny')
    expect(d({ ArnNotEquals: { 'servicediscovery:NamespaceArn': NS } }, { 'servicediscovery:NamespaceArn': NS })).toBe('ImplicitDeny')
    expect(d({ NumericLessThan: { 'aws:EpochTime': '2000000000' } }, { 'aws:EpochTime': '1800000000' })).toBe('Allow')
    expect(d({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-06-01T00:00:00Z' })).toBe('Allow')
    expect(d({ DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-06-01T00:00:00Z' })).toBe('ImplicitDeny')
    expect(d({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' })).toBe('Allow')
    expect(d({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'false' })).toBe('ImplicitDeny')
    expect(d({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' })).toBe('Allow')
    expect(d({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '::1'] } }, { 'aws:SourceIp': '::1' })).toBe('ImplicitDeny')
  })
})

describe('policy variables', () => {
  const variables = new Map([['aws:username', 'alice']])
  const evaluate = (statement: StatementDocument, resource: string, keys: Record<string, string> = {}, version = '2012-10-17') =>
    compilePolicies([{ Version: version, Statement: statement }], variables).evaluate('servicediscovery:GetService', resource, context(keys))
  const tagged = (owner: string) => ({ 'aws:ResourceTag/owner': owner })

  it('${aws:username} in a condition value is the user\'s name', () => {
    const statement: StatementDocument = { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }
    expect(evaluate(statement, SRV, tagged('alice'))).toBe('Allow')
    expect(evaluate(statement, SRV, tagged('bob'))).toBe('ImplicitDeny')
    // Before Version 2012-10-17 there are no variables: the text is compared as it is.
    expect(evaluate(statement, SRV, tagged('alice'), '2008-10-17')).toBe('ImplicitDeny')
  })
  it('a variable without a value matches nothing unless it has a default; ${*} is a literal *', () => {
    expect(evaluate({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:servicediscovery:*:*:service/${aws:SourceIdentity}' }, SRV)).toBe('ImplicitDeny')
    expect(evaluate({ Effect: 'Allow', Action: '*', Resource: "arn:aws:servicediscovery:*:*:service/${aws:SourceIdentity, 'srv-bbbbbbbbbbbbbbbb'}" }, SRV)).toBe('Allow')
    expect(evaluate({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:servicediscovery:*:*:service/${*}' }, SRV)).toBe('ImplicitDeny')
    expect(evaluate({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:servicediscovery:*:*:service/${*}' }, 'arn:aws:servicediscovery:us-east-1:123456789012:service/*')).toBe('Allow')
  })
})

describe('policy documents are checked with the place of each mistake', () => {
  const problems = (doc: unknown) => checkPolicies([doc], ['users', 0, 'policies']).map((p) => `${p.path.join('.')}: ${p.message}`)

  it('accepts a well-formed document', () => {
    expect(problems({ Version: '2012-10-17', Statement: [{ Sid: 'A1', Effect: 'Allow', Action: ['servicediscovery:DiscoverInstances'], Resource: '*' }] })).toEqual([])
  })
  it('names the element that is wrong', () => {
    expect(problems({ Version: '2012-10-17', Statement: { Effect: 'Permit', Action: 'servicediscovery:Get*', Resource: '*' } })).toEqual([
      'users.0.policies.0.Statement.Effect: Effect must be "Allow" or "Deny", not "Permit"',
    ])
    expect(problems({ Statement: [{ Effect: 'Allow', Action: 'servicediscovery:DiscoverInstance', Resource: '*' }] })).toEqual([
      'users.0.policies.0.Statement.0.Action: servicediscovery has no action "DiscoverInstance"',
    ])
    expect(problems({ Statement: [{ Effect: 'Allow', Action: 'servicediscovery:*' }] })).toEqual(['users.0.policies.0.Statement.0: the statement has no Resource (or NotResource)'])
    expect(problems({ Statement: [{ Effect: 'Allow', Action: 'x:y', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } }] })[0]).toMatch(
      /^users\.0\.policies\.0\.Statement\.0\.Condition\.StringEqualz: "StringEqualz" is not an IAM condition operator/,
    )
    expect(problems({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] })).toEqual([
      'users.0.policies.0.Statement.0.Principal: an identity-based policy has no Principal: it applies to the user it is attached to',
    ])
    expect(problems({ Version: '2012-10-18', Statement: [] })).toEqual(['users.0.policies.0.Version: Version must be "2012-10-17" (or the older "2008-10-17"), not "2012-10-18"'])
    expect(problems({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 'aws:EpochTime': 'soon' } } }] })).toEqual([
      'users.0.policies.0.Statement.0.Condition.NumericLessThan.aws:EpochTime: "soon" is not a value NumericLessThan can compare',
    ])
  })
})
