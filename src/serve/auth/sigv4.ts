import { createHmac, hash, timingSafeEqual } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import type { HttpRequest } from '@smithy/types'
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4'
import type { RawRequest } from '../api/json11.js'
import type { WireError } from '../api/wire.js'

/**
 * AWS Signature V4 verification for serve, as AWS's JSON front end does it: the checks in DynamoDB's
 * order (missing, incomplete, date and expiry, Host signed, algorithm, credential shape, scope, key id,
 * signature, security token), answered with its error types, statuses and words (the table in
 * shared/reference/cloudmap-runtime.md §2). The signature is recomputed over exactly the signed headers
 * as received and the raw body (canonical request and string to sign by @smithy/signature-v4, the signing
 * key derived once per key, day and region), and compared in constant time.
 */

/** What serve knows of an access key. */
export interface KeyRecord {
  accessKeyId: string
  secretAccessKey: string
  /** A session token the key is used with (requests must send it, signed); absent for long-term keys. */
  sessionToken?: string
}

export const SIGNING_SERVICE = 'servicediscovery'

/**
 * How far X-Amz-Date may be from serve's clock. IAM: a request must reach AWS "within five minutes of
 * the time stamp in the request" [SIGV4]; Cloud Map's own window is unconfirmed, and the reference says
 * to use 5 minutes (cloudmap-runtime.md §2, "Skew window"), so we do, rather than the 15 some older
 * services printed.
 */
export const CLOCK_SKEW_MINUTES = 5

const ALGORITHM = 'AWS4-HMAC-SHA256'

function error(status: number, type: string, message: string): WireError {
  return { status, type, message }
}
const invalid = (message: string) => error(400, 'InvalidSignatureException', message)
const incomplete = (message: string) => error(400, 'IncompleteSignatureException', message)
export const UNRECOGNIZED = error(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
const MISMATCH = invalid(
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
)

/** YYYYMMDDTHHMMSSZ, the basic format the skew messages print. */
function basic(time: Date): string {
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name]
  return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : value
}

export interface VerifierOptions {
  region: string
  now: () => Date
  key(accessKeyId: string): KeyRecord | undefined
}

/** Verifies requests' signatures. */
export class SignatureVerifier {
  private readonly signingKeys = new WeakMap<KeyRecord, Map<string, Buffer>>()

  constructor(private readonly options: VerifierOptions) {}

  /** The key that signed the request, or the error AWS would answer. */
  async verify(request: RawRequest): Promise<KeyRecord | WireError> {
    const authorization = header(request, 'authorization')
    const mark = request.url.indexOf('?')
    const path = mark < 0 ? request.url : request.url.slice(0, mark)
    const query = mark < 0 ? NO_QUERY : new URLSearchParams(request.url.slice(mark + 1))
    const queryAuth = query.has('X-Amz-Algorithm')
    if (authorization !== undefined && queryAuth) {
      return invalid("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
    }
    const signed = queryAuth ? fromQuery(query) : fromHeaders(request, authorization)
    if ('status' in signed) return signed

    const { dateText, algorithm, credential } = signed
    const dateParts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(dateText)
    const signingDate = dateParts ? new Date(Date.UTC(+dateParts[1], +dateParts[2] - 1, +dateParts[3], +dateParts[4], +dateParts[5], +dateParts[6])) : undefined
    if (!signingDate || Number.isNaN(signingDate.getTime())) return incomplete(`Date must be in ISO-8601 'basic format'. Got '${dateText}'. See http://en.wikipedia.org/wiki/ISO_8601`)
    const now = this.options.now()
    const skew = CLOCK_SKEW_MINUTES * 60_000
    if (signed.expiresSeconds !== undefined) {
      // A presigned request is good from its date for X-Amz-Expires seconds (SigV4 query authentication).
      const expires = signed.expiresSeconds * 1000
      if (signingDate.getTime() + expires < now.getTime()) {
        return invalid(`Signature expired: ${dateText} is now earlier than ${basic(new Date(now.getTime() - expires))} (${basic(now)} - ${signed.expiresSeconds} sec.)`)
      }
    } else if (signingDate.getTime() < now.getTime() - skew) {
      return invalid(`Signature expired: ${dateText} is now earlier than ${basic(new Date(now.getTime() - skew))} (${basic(now)} - ${CLOCK_SKEW_MINUTES} min.)`)
    }
    if (signingDate.getTime() > now.getTime() + skew) {
      return invalid(`Signature not yet current: ${dateText} is still later than ${basic(new Date(now.getTime() + skew))} (${basic(now)} + ${CLOCK_SKEW_MINUTES} min.)`)
    }

    const { list: signedHeaders, set: signedSet } = signedHeaderList(signed.signedHeaders)
    if (!signedHeaders.includes('host')) return invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    // The date the signature covers, and the session token when one is sent, must be signed too: the same
    // rule, worded as AWS words it for Host. In a presigned request both are query parameters, which the
    // signature covers whole.
    if (!queryAuth && !signedHeaders.includes('x-amz-date')) return invalid("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
    const token = queryAuth ? (query.get('X-Amz-Security-Token') ?? undefined) : header(request, 'x-amz-security-token')
    if (!queryAuth && token !== undefined && !signedHeaders.includes('x-amz-security-token')) return invalid("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.")
    if (algorithm !== ALGORITHM) return incomplete(`Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM} for now). `)

    const scope = credential.replace(/\/+$/, '').split('/')
    if (scope.length !== 5) return incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`)
    const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope
    let scopeProblems = ''
    if (scopeRegion !== this.options.region) scopeProblems += `Credential should be scoped to a valid region, not '${scopeRegion}'. `
    if (scopeService !== SIGNING_SERVICE) scopeProblems += `Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `
    if (terminator !== 'aws4_request') scopeProblems += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `
    if (scopeDate !== dateText.slice(0, 8)) {
      scopeProblems += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateText.slice(0, 8)}', from '${dateText}'.`
    }
    if (scopeProblems) return invalid(scopeProblems.trimEnd())

    const key = this.options.key(accessKeyId)
    if (!key) return UNRECOGNIZED

    // The payload the signature covers is the body received; a client-sent x-amz-content-sha256 that
    // doesn't hash to it can't have been signed over this body.
    const payloadHash = hash('sha256', request.body, 'hex')
    const declaredHash = header(request, 'x-amz-content-sha256')
    if (declaredHash !== undefined && declaredHash !== payloadHash) return MISMATCH

    const headers: Record<string, string> = {}
    for (const name of signedHeaders) headers[name] = header(request, name) ?? ''
    const stringToSign = CANONICAL.stringToSign(
      { method: request.method, protocol: 'http:', hostname: headers.host, path, query: query === NO_QUERY ? {} : Object.fromEntries(query), headers },
      signedSet,
      payloadHash,
      dateText,
      `${scopeDate}/${scopeRegion}/${scopeService}/${terminator}`,
    )
    const expected = createHmac('sha256', this.signingKey(key, scopeDate, scopeRegion)).update(stringToSign).digest('hex')
    if (!sameText(expected, signed.signature)) return MISMATCH
    if (token !== key.sessionToken) return UNRECOGNIZED
    return key
  }

  /**
   * SigV4's signing key, HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
   * kept per key, date and region: a client signs with the same one all day.
   */
  private signingKey(key: KeyRecord, date: string, region: string): Buffer {
    let keys = this.signingKeys.get(key)
    if (!keys) this.signingKeys.set(key, (keys = new Map()))
    const scope = `${date}/${region}`
    let derived = keys.get(scope)
    if (!derived) {
      if (keys.size > 8) keys.clear()
      derived = Buffer.from(`AWS4${key.secretAccessKey}`, 'utf8')
      for (const part of [date, region, SIGNING_SERVICE, 'aws4_request']) derived = createHmac('sha256', derived).update(part).digest()
      keys.set(scope, derived)
    }
    return derived
  }
}

/** What a request says of its signature, from the Authorization header or the query string. */
interface SignedParts {
  algorithm: string
  credential: string
  signedHeaders: string
  signature: string
  dateText: string
  /** X-Amz-Expires of a presigned request. */
  expiresSeconds?: number
}

/** The Authorization header's parts, or AWS's answer when it is missing or incomplete. */
function fromHeaders(request: RawRequest, authorization: string | undefined): SignedParts | WireError {
  if (authorization === undefined || !authorization.startsWith('AWS4-')) return error(400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token')
  const { algorithm, params } = parseAuthorization(authorization)
  const amzDate = header(request, 'x-amz-date')
  let missing = ''
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) if (!params.get(name)) missing += `Authorization header requires '${name}' parameter. `
  if (amzDate === undefined && header(request, 'date') === undefined) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
  if (missing) return incomplete(`${missing}Authorization=${authorization}`)
  return { algorithm, credential: params.get('Credential')!, signedHeaders: params.get('SignedHeaders')!, signature: params.get('Signature')!, dateText: amzDate ?? header(request, 'date') ?? '' }
}

/** The longest a presigned request may be valid: seven days (SigV4 query authentication). */
const MAX_EXPIRES_SECONDS = 604_800

/**
 * A presigned request's parts (SigV4 query authentication: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 * X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature), or AWS's answer when some are missing, in
 * DynamoDB's words (the same JSON front end).
 */
function fromQuery(query: URLSearchParams): SignedParts | WireError {
  let missing = ''
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) missing += `AWS query-string parameters must include '${name}'. `
  }
  if (missing) return incomplete(`${missing}Re-examine the query-string parameters.`)
  const expiresText = query.get('X-Amz-Expires')
  const expiresSeconds = expiresText === null ? undefined : Number(expiresText)
  if (expiresSeconds !== undefined && !(/^\d+$/.test(expiresText!) && expiresSeconds >= 1 && expiresSeconds <= MAX_EXPIRES_SECONDS)) {
    return incomplete(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS} (seven days), not '${expiresText}'.`)
  }
  return {
    algorithm: query.get('X-Amz-Algorithm')!,
    credential: query.get('X-Amz-Credential')!,
    signedHeaders: query.get('X-Amz-SignedHeaders')!,
    signature: query.get('X-Amz-Signature')!,
    dateText: query.get('X-Amz-Date')!,
    expiresSeconds,
  }
}

/**
 * The canonical request and string to sign, made by @smithy/signature-v4 (URI escaping and path
 * normalisation, sorted query, header value trimming exactly as the AWS SDKs do it) over the headers the
 * client signed, as received: its signableHeaders keeps a signed header the signer would otherwise
 * never sign (user-agent, ...). Its base class wants a hash implementation; the hashes here are
 * node:crypto's one-shot hash() (no hash object, no promise).
 */
class CanonicalRequests extends SignatureV4Base {
  constructor() {
    super({ service: SIGNING_SERVICE, region: '', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Sha256, applyChecksum: false })
  }

  /** SigV4's string to sign: algorithm, date, scope and the hash of the canonical request. */
  stringToSign(request: HttpRequest, signedHeaders: Set<string>, payloadHash: string, longDate: string, scope: string): string {
    const canonical = this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, signedHeaders), payloadHash)
    return `${ALGORITHM}\n${longDate}\n${scope}\n${hash('sha256', canonical, 'hex')}`
  }
}
const CANONICAL = new CanonicalRequests()

const NO_QUERY = new URLSearchParams()

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (any order, commas or spaces between). */
function parseAuthorization(authorization: string): { algorithm: string; params: Map<string, string> } {
  const [algorithm, ...rest] = authorization.split(/[ ,]+/)
  const params = new Map<string, string>()
  for (const part of rest) {
    const eq = part.indexOf('=')
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1))
  }
  return { algorithm, params }
}

/** A client sends the same SignedHeaders on every call: its list and set are made once. */
const signedHeaderLists = new Map<string, { list: string[]; set: Set<string> }>()
function signedHeaderList(text: string): { list: string[]; set: Set<string> } {
  let entry = signedHeaderLists.get(text)
  if (!entry) {
    const list = text.toLowerCase().split(';')
    entry = { list, set: new Set(list) }
    if (signedHeaderLists.size > 64) signedHeaderLists.clear()
    signedHeaderLists.set(text, entry)
  }
  return entry
}

/** Constant-time comparison (a different length is a mismatch, found in constant time too). */
function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(a, a), false)
}
