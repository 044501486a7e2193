import { readFileSync } from 'node:fs'
import type { Node } from 'yaml'
import { isNode, LineCounter, parseDocument } from 'yaml'
import { CommandUsageError } from '../../config/command-support.js'
import { CloudmapError } from '../../registry/errors.js'
import { READ_ONLY_ACTIONS } from './actions.js'
import type { CompiledPolicies, PolicyDocument } from './policy.js'
import { checkPolicies, compilePolicies } from './policy.js'
import type { KeyRecord } from './sigv4.js'

/** An IAM user of serve: its ARN (denials name it) and its compiled identity-based policies. */
export interface User {
  name: string
  arn: string
  policies: CompiledPolicies
  /** Condition keys every request of this user carries (aws:username, aws:PrincipalArn, ...). */
  keys: ReadonlyMap<string, string>
}

/** Who may call serve: each access key with the user it belongs to. */
export interface AccessRules {
  keys: Map<string, { key: KeyRecord; user: User }>
}

/** A key given on the command line or in the settings: `--auth` (full access) or `--read-only-auth`. */
export interface GivenKey {
  accessKeyId: string
  secretAccessKey: string
  access: 'full' | 'read-only'
  /** Where it came from, for the message when the same key is given twice. */
  source: string
}

const FULL_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'servicediscovery:*', Resource: '*' } }
const READ_ONLY: PolicyDocument = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: READ_ONLY_ACTIONS, Resource: '*' } }

export const ACCESS_KEY_ID = /^\w{1,128}$/
const USER_NAME = /^[\w+=,.@-]{1,64}$/

function makeUser(name: string, accountId: string, policies: PolicyDocument[]): User {
  const arn = `arn:aws:iam::${accountId}:user/${name}`
  const keys = new Map([
    ['aws:username', name],
    ['aws:principalarn', arn],
    ['aws:principalaccount', accountId],
    ['aws:principaltype', 'User'],
  ])
  return { name, arn, policies: compilePolicies(policies, keys), keys }
}

/** The rules from the keys given on the command line and in the settings (each its own user, named after the key). */
export function givenKeyRules(given: GivenKey[], accountId: string): AccessRules {
  const rules: AccessRules = { keys: new Map() }
  for (const g of given) {
    if (rules.keys.has(g.accessKeyId)) throw new CommandUsageError(`The access key ${g.accessKeyId} is given twice (again in ${g.source}).`)
    rules.keys.set(g.accessKeyId, { key: { accessKeyId: g.accessKeyId, secretAccessKey: g.secretAccessKey }, user: makeUser(g.accessKeyId, accountId, [g.access === 'full' ? FULL_ACCESS : READ_ONLY]) })
  }
  return rules
}

/** `ID:SECRET` of --auth and --read-only-auth. */
export function parseKeyFlag(value: string, flag: string): Pick<GivenKey, 'accessKeyId' | 'secretAccessKey'> {
  const colon = value.indexOf(':')
  const accessKeyId = colon < 0 ? value : value.slice(0, colon)
  const secretAccessKey = colon < 0 ? '' : value.slice(colon + 1)
  if (!ACCESS_KEY_ID.test(accessKeyId) || secretAccessKey === '' || /\s/.test(secretAccessKey)) {
    throw new CommandUsageError(`${flag} takes ACCESS_KEY_ID:SECRET (an id of 1 to 128 letters, digits or underscores, a colon, and a secret without spaces), not "${value.replace(/:.*/, ':…')}".`)
  }
  return { accessKeyId, secretAccessKey }
}

/**
 * An auth file (YAML, or JSON, which YAML reads too):
 *
 *   users:
 *     - name: ci
 *       keys: [{ id: AKIDCI, secret: ..., session_token: ... (optional) }]
 *       policies: [ IAM policy documents ]
 *
 * Checked whole before it is used; the first mistake is reported with its line.
 */
export function loadAuthFile(file: string, accountId: string, text = readFileSync(file, 'utf8')): AccessRules {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const fail = (offset: number, reason: string): never => {
    throw new CloudmapError('other', `Bad auth file ${file}, line ${lineCounter.linePos(offset).line}: ${reason}`)
  }
  if (doc.errors.length > 0) fail(doc.errors[0].pos[0], doc.errors[0].message.split('\n')[0])
  const lineOf = (path: (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)
      if (isNode(node) && (node as Node).range) return (node as Node).range![0]
    }
    return 0
  }
  const problem = (path: (string | number)[], reason: string): never => fail(lineOf(path), reason)
  const root: unknown = doc.toJS()
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return problem([], 'an auth file is an object with a list of users: {"users": [{"name": ..., "keys": [...], "policies": [...]}]}')
  const top = root as Record<string, unknown>
  for (const key of Object.keys(top)) if (key !== 'users') problem([key], `unknown setting "${key}" (an auth file has users)`)
  if (!Array.isArray(top.users)) return problem(['users'], 'users must be a list of users, each with name, keys and policies')
  const rules: AccessRules = { keys: new Map() }
  const names = new Set<string>()
  top.users.forEach((entry: unknown, u) => {
    const at = ['users', u]
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return problem(at, 'a user is an object with name, keys and policies')
    const user = entry as Record<string, unknown>
    for (const key of Object.keys(user)) if (!['name', 'keys', 'policies'].includes(key)) problem([...at, key], `unknown user setting "${key}" (a user has name, keys and policies)`)
    if (typeof user.name !== 'string' || !USER_NAME.test(user.name)) return problem([...at, 'name'], 'a user needs a name of 1 to 64 letters, digits and +=,.@_- (an IAM user name)')
    if (names.has(user.name)) problem([...at, 'name'], `the user ${user.name} is listed twice`)
    names.add(user.name)
    const problems = checkPolicies(user.policies ?? [], [...at, 'policies'])
    if (problems.length > 0) problem(problems[0].path, problems[0].message)
    const made = makeUser(user.name, accountId, (user.policies ?? []) as PolicyDocument[])
    if (!Array.isArray(user.keys)) return problem([...at, 'keys'], 'keys must be a list of access keys: [{id: ..., secret: ...}]')
    user.keys.forEach((k: unknown, i) => {
      const kat = [...at, 'keys', i]
      if (typeof k !== 'object' || k === null || Array.isArray(k)) return problem(kat, 'an access key is {id: ..., secret: ...}')
      const key = k as Record<string, unknown>
      for (const name of Object.keys(key)) if (!['id', 'secret', 'session_token'].includes(name)) problem([...kat, name], `unknown key setting "${name}" (an access key has id, secret and session_token)`)
      if (typeof key.id !== 'string' || !ACCESS_KEY_ID.test(key.id)) return problem([...kat, 'id'], 'an access key id is 1 to 128 letters, digits or underscores')
      if (typeof key.secret !== 'string' || key.secret === '' || /\s/.test(key.secret)) return problem([...kat, 'secret'], `the access key ${key.id} needs a secret without spaces`)
      if (key.session_token !== undefined && (typeof key.session_token !== 'string' || key.session_token === '')) return problem([...kat, 'session_token'], 'session_token must be a string')
      if (rules.keys.has(key.id)) problem([...kat, 'id'], `the access key ${key.id} is listed twice`)
      rules.keys.set(key.id, { key: { accessKeyId: key.id, secretAccessKey: key.secret, sessionToken: key.session_token as string | undefined }, user: made })
    })
  })
  return rules
}

/** The file's rules and the given keys together; a key in both is a mistake. */
export function mergeRules(given: AccessRules, file: AccessRules, fileName: string): AccessRules {
  const keys = new Map(given.keys)
  for (const [id, entry] of file.keys) {
    if (keys.has(id)) throw new CloudmapError('other', `Bad auth file ${fileName}: the access key ${id} is also given on the command line or in the settings.`)
    keys.set(id, entry)
  }
  return { keys }
}
