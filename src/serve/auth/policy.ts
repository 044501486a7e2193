import { BlockList, isIPv4, isIPv6 } from 'node:net'
import { KNOWN_ACTIONS } from './actions.js'

/**
 * IAM identity-based policies as IAM evaluates them, for serve's access control: checked once when they
 * are loaded (with the place of every mistake), compiled to matchers, then evaluated per request with no
 * parsing. We evaluate ourselves rather than with @cloud-copilot/iam-simulate: that library is
 * AGPL-3.0 (cloudmap is Apache-2.0) and ran ~450 evaluations/s here, far below serve's request rate.
 */

/** Where in a document a mistake is (keys and indexes from the file's root), and what it is. */
export interface PolicyProblem {
  path: (string | number)[]
  message: string
}

/** A request as policies see it: the action, the resource ARN (or `*`), and the condition keys' values. */
export interface RequestContext {
  /** Lowercased condition key -> value (an array for multi-valued keys such as aws:TagKeys). */
  get(key: string): string | string[] | undefined
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny'

interface Statement {
  effect: 'Allow' | 'Deny'
  action: (action: string) => boolean
  resource: (arn: string) => boolean
  condition: (context: RequestContext) => boolean
  /** `Resource: "*"`: the statement applies to any resource. */
  anyResource: boolean
  unconditional: boolean
}

/** A principal's policies, compiled; statements that name an action are looked up once per action. */
export class CompiledPolicies {
  private readonly byAction = new Map<string, Statement[]>()

  constructor(private readonly statements: Statement[]) {}

  private readonly fixed = new Map<string, Decision | undefined>()

  /**
   * The decision for an action when it depends on neither the resource nor a condition (every statement
   * that names the action has `Resource: "*"` and no Condition, or none names it): then the request
   * needn't be looked into at all. Undefined when it depends on them.
   */
  fixedDecision(action: string): Decision | undefined {
    if (!this.fixed.has(action)) {
      const statements = this.statementsFor(action)
      const fixed = statements.every((s) => s.anyResource && s.unconditional)
      this.fixed.set(action, fixed ? (statements.some((s) => s.effect === 'Deny') ? 'ExplicitDeny' : statements.length > 0 ? 'Allow' : 'ImplicitDeny') : undefined)
    }
    return this.fixed.get(action)
  }

  /** IAM's order: an applicable Deny is final, then an applicable Allow, else the implicit deny [IAM-EVAL]. */
  evaluate(action: string, resource: string, context: RequestContext): Decision {
    const statements = this.statementsFor(action)
    let allowed = false
    for (const s of statements) {
      if (s.effect === 'Allow' && allowed) continue
      if (!s.resource(resource) || !s.condition(context)) continue
      if (s.effect === 'Deny') return 'ExplicitDeny'
      allowed = true
    }
    return allowed ? 'Allow' : 'ImplicitDeny'
  }

  private statementsFor(action: string): Statement[] {
    let statements = this.byAction.get(action)
    if (!statements) {
      statements = this.statements.filter((s) => s.action(action))
      this.byAction.set(action, statements)
    }
    return statements
  }
}

/** Check policy documents (each a JSON value at `base` in its file); the problems found, in document order. */
export function checkPolicies(documents: unknown, base: (string | number)[]): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  if (!Array.isArray(documents)) return [{ path: base, message: 'policies must be a list of IAM policy documents' }]
  documents.forEach((doc, i) => checkDocument(doc, [...base, i], problems))
  return problems
}

/** Compile checked documents (checkPolicies found no problem in them). */
export function compilePolicies(documents: PolicyDocument[], variables: ReadonlyMap<string, string> = new Map()): CompiledPolicies {
  return new CompiledPolicies(
    documents.flatMap((doc) => {
      // Policy variables exist from Version 2012-10-17 on; in older documents ${...} is plain text [IAM-VAR].
      const substitute = doc.Version === '2012-10-17' ? (text: string) => substituteVariables(text, variables) : (text: string) => text
      return statementsOf(doc).map((s) => compileStatement(s, substitute))
    }),
  )
}

/** Stand-ins that glob() reads as a literal `*` and `?`, and as text no request value contains. */
const LITERAL_STAR = '\uE000'
const LITERAL_QUESTION = '\uE001'
const NEVER_MATCHES = '\uE002'

/**
 * Policy variables in Resource and in condition values, replaced by the principal's values when the
 * policies are compiled (aws:username, aws:PrincipalArn, aws:PrincipalAccount, ...): `${aws:username}`,
 * `${key, 'default'}` for a key the request lacks, and `${*}`, `${?}`, `${$}` for the literal characters.
 * A variable with no value and no default makes the element match nothing, as IAM does [IAM-VAR].
 */
function substituteVariables(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    const [name, fallback] = inner.split(/\s*,\s*/, 2)
    if (name === '*') return LITERAL_STAR
    if (name === '?') return LITERAL_QUESTION
    if (name === '$') return '$'
    const value = variables.get(name.trim().toLowerCase()) ?? (fallback !== undefined ? fallback.replace(/^'(.*)'$/, '$1') : undefined)
    return value ?? NEVER_MATCHES
  })
}

export interface PolicyDocument {
  Version?: string
  Statement: StatementDocument | StatementDocument[]
}

export interface StatementDocument {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Condition?: Record<string, Record<string, unknown>>
}

function statementsOf(doc: PolicyDocument): StatementDocument[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'])

function checkDocument(doc: unknown, path: (string | number)[], problems: PolicyProblem[]): void {
  if (!isObject(doc)) return void problems.push({ path, message: 'a policy document must be an object with Version and Statement' })
  for (const key of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) problems.push({ path: [...path, key], message: `unknown policy element "${key}" (a policy has Version, Id and Statement)` })
  }
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    problems.push({ path: [...path, 'Version'], message: `Version must be "2012-10-17" (or the older "2008-10-17"), not ${JSON.stringify(doc.Version)}` })
  }
  if (doc.Statement === undefined) return void problems.push({ path, message: 'the policy has no Statement' })
  const statements = Array.isArray(doc.Statement) ? doc.Statement.map((s, i) => [s, [...path, 'Statement', i]] as const) : [[doc.Statement, [...path, 'Statement']] as const]
  for (const [statement, at] of statements) checkStatement(statement, [...at], problems)
}

function checkStatement(s: unknown, path: (string | number)[], problems: PolicyProblem[]): void {
  if (!isObject(s)) return void problems.push({ path, message: 'a Statement must be an object with Effect, Action and Resource' })
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key)) problems.push({ path: [...path, key], message: `unknown statement element "${key}"` })
  }
  if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
    problems.push({ path: [...path, s.Principal !== undefined ? 'Principal' : 'NotPrincipal'], message: 'an identity-based policy has no Principal: it applies to the user it is attached to' })
  }
  if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) problems.push({ path: [...path, 'Sid'], message: 'Sid must be letters and digits' })
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push({ path: [...path, 'Effect'], message: `Effect must be "Allow" or "Deny", not ${s.Effect === undefined ? 'missing' : JSON.stringify(s.Effect)}` })
  checkPair(s, path, 'Action', 'NotAction', problems, checkAction)
  checkPair(s, path, 'Resource', 'NotResource', problems, checkResource)
  if (s.Condition !== undefined) checkCondition(s.Condition, [...path, 'Condition'], problems)
}

function checkPair(s: Record<string, unknown>, path: (string | number)[], name: string, notName: string, problems: PolicyProblem[], check: (value: string) => string | undefined): void {
  if (s[name] !== undefined && s[notName] !== undefined) return void problems.push({ path: [...path, notName], message: `a statement has ${name} or ${notName}, not both` })
  const key = s[name] !== undefined ? name : s[notName] !== undefined ? notName : undefined
  if (key === undefined) return void problems.push({ path, message: `the statement has no ${name} (or ${notName})` })
  const value = s[key]
  const items = typeof value === 'string' ? [[value, [...path, key]] as const] : Array.isArray(value) ? value.map((v, i) => [v, [...path, key, i]] as const) : undefined
  if (!items || items.length === 0) return void problems.push({ path: [...path, key], message: `${key} must be a string or a non-empty list of strings` })
  for (const [item, at] of items) {
    const why = typeof item === 'string' ? check(item) : `${key} must be a string or a list of strings`
    if (why) problems.push({ path: [...at], message: why })
  }
}

function checkAction(action: string): string | undefined {
  if (action === '*') return undefined
  const match = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action)
  if (!match) return `"${action}" is not an action: write service:Action, for example servicediscovery:DiscoverInstances (wildcards * and ? allowed)`
  if (match[1].toLowerCase() === 'servicediscovery' && !/[*?]/.test(match[2]) && !KNOWN_ACTIONS.has(match[2].toLowerCase())) {
    return `servicediscovery has no action "${match[2]}"`
  }
  return undefined
}

function checkResource(resource: string): string | undefined {
  if (resource === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/.test(resource)) return undefined
  return `"${resource}" is not a resource: write "*" or an ARN such as arn:aws:servicediscovery:us-east-1:123456789012:namespace/*`
}

/** IAM's condition operators: how a request value compares with one value of the policy. */
const OPERATORS: Record<string, { negated: boolean; test: (request: string, policy: string) => boolean; checkValue?: (v: string) => boolean }> = {}
function operator(names: [string, string | undefined], test: (request: string, policy: string) => boolean, checkValue?: (v: string) => boolean): void {
  OPERATORS[names[0]] = { negated: false, test, checkValue }
  if (names[1]) OPERATORS[names[1]] = { negated: true, test, checkValue }
}
const globCache = new Map<string, RegExp>()
function glob(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`
  let re = globCache.get(key)
  if (!re) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
      .replace(new RegExp(LITERAL_STAR, 'g'), '\\*')
      .replace(new RegExp(LITERAL_QUESTION, 'g'), '\\?')
    re = new RegExp(`^${source}$`, `s${flags}`)
    globCache.set(key, re)
  }
  return re
}
const number = (v: string) => v.trim() !== '' && Number.isFinite(Number(v))
const time = (v: string) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v))
const date = (v: string) => !Number.isNaN(time(v))
/** ArnLike and ArnEquals: the six colon-separated parts compared one by one, wildcards within a part [IAM-COND]. */
function arnLike(request: string, policy: string): boolean {
  const r = splitArn(request)
  const p = splitArn(policy)
  return r !== undefined && p !== undefined && p.every((part, i) => glob(part).test(r[i]))
}
function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':')
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')]
}
function inRange(request: string, cidr: string): boolean {
  const [address, bits] = cidr.split('/')
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined
  if (!family || !(isIPv4(request) || isIPv6(request))) return false
  const block = new BlockList()
  if (bits === undefined) block.addAddress(address, family)
  else block.addSubnet(address, Number(bits), family)
  return block.check(request, isIPv4(request) ? 'ipv4' : 'ipv6')
}
operator(['StringEquals', 'StringNotEquals'], (r, p) => r === p)
operator(['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'], (r, p) => r.toLowerCase() === p.toLowerCase())
operator(['StringLike', 'StringNotLike'], (r, p) => glob(p).test(r))
operator(['NumericEquals', 'NumericNotEquals'], (r, p) => Number(r) === Number(p), number)
operator(['NumericLessThan', undefined], (r, p) => Number(r) < Number(p), number)
operator(['NumericLessThanEquals', undefined], (r, p) => Number(r) <= Number(p), number)
operator(['NumericGreaterThan', undefined], (r, p) => Number(r) > Number(p), number)
operator(['NumericGreaterThanEquals', undefined], (r, p) => Number(r) >= Number(p), number)
operator(['DateEquals', 'DateNotEquals'], (r, p) => time(r) === time(p), date)
operator(['DateLessThan', undefined], (r, p) => time(r) < time(p), date)
operator(['DateLessThanEquals', undefined], (r, p) => time(r) <= time(p), date)
operator(['DateGreaterThan', undefined], (r, p) => time(r) > time(p), date)
operator(['DateGreaterThanEquals', undefined], (r, p) => time(r) >= time(p), date)
operator(['Bool', undefined], (r, p) => r.toLowerCase() === p.toLowerCase(), (v) => /^(true|false)$/i.test(v))
operator(['BinaryEquals', undefined], (r, p) => r === p)
operator(['IpAddress', 'NotIpAddress'], inRange, (v) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(v))
operator(['ArnEquals', 'ArnNotEquals'], arnLike)
operator(['ArnLike', 'ArnNotLike'], arnLike)

interface ParsedOperator {
  set?: 'ForAllValues' | 'ForAnyValue'
  base: string
  ifExists: boolean
}

function parseOperator(name: string): ParsedOperator | undefined {
  const m = /^(?:(ForAllValues|ForAnyValue):)?(\w+?)(IfExists)?$/.exec(name)
  if (!m) return undefined
  const base = m[2]
  if (base !== 'Null' && !OPERATORS[base]) return undefined
  if (base === 'Null' && (m[3] || m[1])) return undefined
  return { set: m[1] as ParsedOperator['set'], base, ifExists: m[3] !== undefined }
}

function conditionValues(value: unknown): string[] | undefined {
  const items = Array.isArray(value) ? value : [value]
  if (items.length === 0 || !items.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return undefined
  return items.map(String)
}

function checkCondition(condition: unknown, path: (string | number)[], problems: PolicyProblem[]): void {
  if (!isObject(condition)) return void problems.push({ path, message: 'Condition must be an object: {Operator: {ConditionKey: value or list of values}}' })
  for (const [name, block] of Object.entries(condition)) {
    const parsed = parseOperator(name)
    if (!parsed) {
      problems.push({ path: [...path, name], message: `"${name}" is not an IAM condition operator (for example StringEquals, StringLike, ArnLike, Null, ForAnyValue:StringEquals, StringEqualsIfExists)` })
      continue
    }
    if (!isObject(block) || Object.keys(block).length === 0) {
      problems.push({ path: [...path, name], message: `${name} must be an object of condition keys and values` })
      continue
    }
    for (const [key, value] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:\S+$/.test(key)) problems.push({ path: [...path, name, key], message: `"${key}" is not a condition key (service:Key, for example servicediscovery:NamespaceName or aws:ResourceTag/env)` })
      const values = conditionValues(value)
      if (!values) {
        problems.push({ path: [...path, name, key], message: `the value of ${key} must be a string or a non-empty list of strings` })
        continue
      }
      const check = parsed.base === 'Null' ? (v: string) => /^(true|false)$/i.test(v) : OPERATORS[parsed.base].checkValue
      const bad = check ? values.find((v) => !check(v)) : undefined
      if (bad !== undefined) problems.push({ path: [...path, name, key], message: `${JSON.stringify(bad)} is not a value ${name} can compare` })
    }
  }
}

function compileStatement(s: StatementDocument, substitute: (text: string) => string): Statement {
  const actions = list(s.Action ?? s.NotAction).map((a) => glob(a, 'i'))
  const matchesAction = (action: string) => actions.some((re) => re.test(action))
  const resources = list(s.Resource ?? s.NotResource).map((r) => glob(substitute(r)))
  const matchesResource = (arn: string) => resources.some((re) => re.test(arn))
  const conditions = Object.entries(s.Condition ?? {}).flatMap(([name, block]) =>
    Object.entries(block).map(([key, value]) => compileCondition(parseOperator(name)!, key.toLowerCase(), conditionValues(value)!.map(substitute))),
  )
  return {
    effect: s.Effect,
    action: s.Action !== undefined ? matchesAction : (action) => !matchesAction(action),
    resource: s.Resource !== undefined ? matchesResource : (arn) => !matchesResource(arn),
    // Operators and keys within a Condition all must match (AND); the values of one key are alternatives (OR).
    condition: conditions.length === 0 ? () => true : (context) => conditions.every((c) => c(context)),
    anyResource: s.Resource !== undefined && list(s.Resource).includes('*'),
    unconditional: conditions.length === 0,
  }
}

/**
 * One condition key under one operator, with IAM's rules for absent keys and multi-valued keys
 * [IAM-COND, IAM-MV]: an absent key fails the test, except for negated operators and ...IfExists;
 * ForAllValues holds for an absent or empty key and requires every request value to match,
 * ForAnyValue requires one. A multi-valued key without a set qualifier matches when one value does.
 */
function compileCondition(op: ParsedOperator, key: string, values: string[]): (context: RequestContext) => boolean {
  if (op.base === 'Null') {
    const wantAbsent = values.map((v) => v.toLowerCase() === 'true')
    return (context) => {
      const value = context.get(key)
      const absent = value === undefined || (Array.isArray(value) && value.length === 0)
      return wantAbsent.some((w) => w === absent)
    }
  }
  const { negated, test } = OPERATORS[op.base]
  // ${*} and ${?} are wildcards' literal characters; operators without wildcards compare them as such.
  if (!/Like$|^Arn/.test(op.base)) values = values.map((v) => v.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?'))
  const matchesOne = (request: string) => values.some((policy) => test(request, policy))
  const holds = (request: string) => (negated ? !matchesOne(request) : matchesOne(request))
  return (context) => {
    const value = context.get(key)
    const requestValues = value === undefined ? [] : Array.isArray(value) ? value : [value]
    if (op.set === 'ForAllValues') return requestValues.every(holds)
    if (op.set === 'ForAnyValue') return requestValues.some(holds)
    if (value === undefined) return op.ifExists || negated
    return negated ? requestValues.every(holds) : requestValues.some(holds)
  }
}
