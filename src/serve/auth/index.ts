import { readFileSync, watch } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import type { RegistryState } from '../../backends/local/state.js'
import type { OperationName } from '../../model/index.js'
import { CloudmapError } from '../../registry/errors.js'
import type { Principal, RawRequest, RequestGate } from '../api/json11.js'
import type { WireError } from '../api/wire.js'
import type { FaceContext, StartedFace } from '../faces.js'
import { isLoopbackHost } from '../../config/loopback.js'
import type { Check } from './actions.js'
import { checksFor, needsRegistry } from './actions.js'
import type { RequestContext } from './policy.js'
import type { AccessRules, GivenKey, User } from './rules.js'
import { givenKeyRules, loadAuthFile, mergeRules } from './rules.js'
import { SignatureVerifier, SIGNING_SERVICE, UNRECOGNIZED } from './sigv4.js'

export interface AuthOptions {
  /** --auth, --read-only-auth and the serve_access_key_id setting. */
  keys: GivenKey[]
  /** --auth-file: users, keys and IAM policies; reloaded when it changes. */
  authFile?: string
  allowAnonymous: boolean
  host: string
  region: string
  accountId: string
}

/** A caller whose signature checked out, and the user whose policies decide what it may do. */
class Caller implements Principal {
  constructor(
    readonly accessKeyId: string,
    readonly user: User,
    readonly sourceIp: string | undefined,
  ) {}
  get arn(): string {
    return this.user.arn
  }
}

/**
 * serve's access control: with keys, every request must be signed by one of them (SigV4, sigv4.ts) and
 * allowed by its user's IAM policies (policy.ts, actions.ts); without keys, every request is answered and
 * serve says so (and refuses to do that on an address reachable from elsewhere unless told to).
 */
export async function startAuth(ctx: FaceContext, options: AuthOptions): Promise<StartedFace> {
  const given = givenKeyRules(options.keys, options.accountId)
  const authFile = options.authFile === undefined ? undefined : resolve(options.authFile)
  if (!authFile && given.keys.size === 0) {
    if (!isLoopbackHost(options.host) && !options.allowAnonymous) {
      throw new CloudmapError(
        'other',
        `cloudmap serve won't answer anyone who can reach ${options.host} without access keys: give --auth ACCESS_KEY_ID:SECRET, --read-only-auth, --auth-file FILE or the serve_access_key_id setting, or --allow-anonymous to accept every request.`,
      )
    }
    return { announce: ['cloudmap serve: no access keys: every request is accepted, signed or not (--auth, --auth-file or the serve_access_key_id setting require AWS signatures).'] }
  }

  // Read once: the text loaded is the one the watcher compares changes with.
  const authText = authFile ? readFileSync(authFile, 'utf8') : undefined
  let rules: AccessRules = authFile ? mergeRules(given, loadAuthFile(authFile, options.accountId, authText), authFile) : given
  const where = { region: options.region, accountId: options.accountId }
  const verifier = new SignatureVerifier({ region: options.region, now: ctx.now, key: (id) => rules.keys.get(id)?.key })
  const stopWatching = authFile ? watchAuthFile(authFile, authText!, (text) => (rules = mergeRules(given, loadAuthFile(authFile, options.accountId, text), authFile)), ctx.log) : undefined

  const gate: RequestGate = {
    async authenticate(request: RawRequest): Promise<Principal | WireError> {
      const key = await verifier.verify(request)
      if ('status' in key) return key
      const entry = rules.keys.get(key.accessKeyId)
      // The file may have been reloaded since the key was looked up: the key must still be the same one.
      if (!entry || entry.key !== key) return UNRECOGNIZED
      return new Caller(key.accessKeyId, entry.user, request.sourceIp)
    },
    async authorize(principal: Principal, op: OperationName, input: Record<string, unknown>): Promise<WireError | undefined> {
      const user = (principal as Caller).user
      // Full and read-only access (and any policy without resources or conditions for the action) decide
      // from the action alone. Create* with Tags also needs TagResource, so they take the long way.
      const fixed = input.Tags === undefined ? user.policies.fixedDecision(`servicediscovery:${op}`) : undefined
      if (fixed === 'Allow') return undefined
      const checks = needsRegistry(op) ? await ctx.registry.readState((state: RegistryState) => checksFor(op, input, state, where)) : checksFor(op, input, undefined, where)
      const now = ctx.now()
      let implicit: Check | undefined
      for (const check of checks) {
        const decision = user.policies.evaluate(check.action, check.resource, new RequestKeys(check, user, now, options.region, principal.sourceIp))
        if (decision === 'ExplicitDeny') return denied(user, check.action, check.shownResource, 'explicit')
        if (decision === 'ImplicitDeny') implicit ??= check
      }
      return implicit ? denied(user, implicit.action, implicit.shownResource, 'implicit') : undefined
    },
  }
  const keyCount = rules.keys.size
  return {
    gate,
    running: { close: async () => stopWatching?.() },
    announce: [
      `cloudmap serve: access control on: requests must be signed (AWS Signature V4, service ${SIGNING_SERVICE}, region ${options.region}) with one of ${keyCount} access key${keyCount === 1 ? '' : 's'}, and allowed by its IAM policies${authFile ? ` (${authFile}, reloaded when it changes)` : ''}.`,
    ],
  }
}

/**
 * The condition keys of one check, looked up only when a policy's Condition asks: the request's own keys,
 * the resource's tags, the user's keys (aws:username, aws:PrincipalArn, ...), and the global keys of time,
 * region, transport and the client's address (aws:SourceIp).
 */
class RequestKeys implements RequestContext {
  constructor(
    private readonly check: Check,
    private readonly user: User,
    private readonly now: Date,
    private readonly region: string,
    private readonly sourceIp: string | undefined,
  ) {}

  get(key: string): string | string[] | undefined {
    const own = this.check.keys.get(key) ?? this.user.keys.get(key)
    if (own !== undefined) return own
    if (key.startsWith('aws:resourcetag/')) {
      const tagKey = key.slice('aws:resourcetag/'.length)
      return this.check.resourceTags.find((t) => t.Key.toLowerCase() === tagKey)?.Value
    }
    switch (key) {
      case 'aws:currenttime':
        return this.now.toISOString().replace(/\.\d{3}Z$/, 'Z')
      case 'aws:epochtime':
        return String(Math.floor(this.now.getTime() / 1000))
      case 'aws:requestedregion':
        return this.region
      case 'aws:securetransport':
        return 'false'
      case 'aws:sourceip':
        return this.sourceIp
    }
    return undefined
  }
}

/** IAM's AccessDenied wording [IAM-AD]; HTTP 400 as Cloud Map answers it (cloudmap-runtime.md §1). */
function denied(user: User, action: string, resource: string, kind: 'explicit' | 'implicit'): WireError {
  const because = kind === 'explicit' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`
  return { status: 400, type: 'AccessDeniedException', message: `User: ${user.arn} is not authorized to perform: ${action} on resource: ${resource} ${because}` }
}

/**
 * Reload the auth file when it changes (editors replace files, so the folder is watched). A file that
 * can't be read or has a mistake is not used: the last good rules stay, and the log says why.
 */
function watchAuthFile(file: string, loaded: string, apply: (text: string) => void, log: (line: string) => void): () => void {
  let last = loaded
  let timer: NodeJS.Timeout | undefined
  const reload = async () => {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      log(`cloudmap serve: can't read the auth file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); keeping the access rules loaded before.`)
      return
    }
    if (text === last) return
    last = text
    try {
      apply(text)
      log(`cloudmap serve: reloaded the auth file ${file}.`)
    } catch (error) {
      log(`cloudmap serve: ${(error as Error).message}; keeping the access rules loaded before.`)
    }
  }
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return
    clearTimeout(timer)
    // Editors write in several steps: read once they are done.
    timer = setTimeout(() => void reload(), 50)
  })
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}
