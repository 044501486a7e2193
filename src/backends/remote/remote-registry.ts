import type { Settings } from '../../cli/settings.js'
import type { OperationName } from '../../model/index.js'
import { operationSpec } from '../../model/index.js'
import { CloudmapError, serviceError } from '../../registry/errors.js'
import type { Input, Output, Registry } from '../../registry/registry.js'
import { parseResponseBody } from './response-body.js'

type SdkModule = typeof import('@aws-sdk/client-servicediscovery')
type SdkCommandClass = new (input: unknown) => Parameters<InstanceType<SdkModule['ServiceDiscoveryClient']>['send']>[0]

/**
 * A remote Cloud Map endpoint (AWS, moto, LocalStack, `cloudmap serve`) through the AWS SDK, loaded only
 * when a command needs it. Generic over operations: `<Op>Command` of the SDK for every spec entry.
 */
export class RemoteRegistry implements Registry {
  private client?: InstanceType<SdkModule['ServiceDiscoveryClient']>
  private sdk?: SdkModule

  constructor(private readonly settings: Settings) {}

  async invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>> {
    const { client, sdk } = await this.connect()
    const Command = (sdk as unknown as Record<string, SdkCommandClass>)[`${op}Command`]
    if (!Command) throw serviceError('NotImplemented', `This cloudmap's AWS SDK has no ${op} operation.`, 501)
    const request = { ...input } as object
    try {
      await client.send(new Command(request))
      // The AWS CLI prints what the service sent, parsed through the model: use the raw body rather than
      // the SDK's output, which rounds timestamps to milliseconds and 64-bit revisions to doubles.
      return parseResponseBody(capturedBodies.get(request), operationSpec(op).output) as Output<K>
    } catch (error) {
      throw this.translate(error, capturedBodies.get(request))
    }
  }

  async close(): Promise<void> {
    this.client?.destroy()
  }

  private async connect(): Promise<{ client: InstanceType<SdkModule['ServiceDiscoveryClient']>; sdk: SdkModule }> {
    if (this.client && this.sdk) return { client: this.client, sdk: this.sdk }
    // The SDK warns on stderr that future releases need Node 22; cloudmap pins a release that runs on 20.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
    const sdk = await import('@aws-sdk/client-servicediscovery')
    const endpoint = this.settings.endpointUrl
    const config: ConstructorParameters<SdkModule['ServiceDiscoveryClient']>[0] = {
      region: this.settings.region,
      // The model's 'data-' host prefix on DiscoverInstances would send requests to data-<host>, which a
      // custom endpoint (localhost, moto, LocalStack, cloudmap serve) does not answer.
      disableHostPrefix: endpoint !== undefined,
    }
    if (endpoint !== undefined) config.endpoint = endpoint
    config.maxAttempts = MAX_ATTEMPTS
    // --cli-connect-timeout / --cli-read-timeout in seconds; 0 means wait forever (AWS CLI).
    const seconds = (value: number | undefined) => (value === undefined || value === 0 ? undefined : value * 1000)
    config.requestHandler = { connectionTimeout: seconds(this.settings.connectTimeout) ?? 60_000, requestTimeout: seconds(this.settings.readTimeout) ?? 60_000, throwOnRequestTimeout: true } as never
    if (this.settings.noSignRequest) {
      // Unsigned: no signature, and no credentials looked up (the SDK would otherwise insist on some).
      config.signer = { sign: async (request) => request }
      config.credentials = { accessKeyId: '', secretAccessKey: '' }
    } else if (this.settings.credentials !== undefined) {
      config.credentials = this.settings.credentials
    } else if (this.settings.profile !== undefined) {
      config.profile = this.settings.profile
    }
    this.sdk = sdk
    this.client = new sdk.ServiceDiscoveryClient(config)
    this.client.middlewareStack.add(captureBodyMiddleware, { step: 'deserialize', priority: 'low', name: 'cloudmapCaptureBody' })
    return { client: this.client, sdk }
  }

  /**
   * SDK failures in the AWS CLI's words. A service error's code and message come from the raw body as
   * botocore reads them (`__type` after its last '#', `message` or `Message`); a body that is not a JSON
   * error (an HTML 500 page) gives the HTTP status as the code and the body as the message.
   */
  private translate(error: unknown, body: Uint8Array | undefined): Error {
    const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } }
    const status = e.$metadata?.httpStatusCode
    if (status !== undefined && status >= 300) {
      const text = body === undefined ? '' : Buffer.from(body).toString('utf8')
      let code = String(status)
      let message = text
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>
        if (typeof parsed.__type === 'string') {
          code = parsed.__type.slice(parsed.__type.lastIndexOf('#') + 1)
          message = String(parsed.message ?? parsed.Message ?? '')
        }
      } catch {
        // not JSON: keep the status and the raw body, as the AWS CLI does
      }
      const failure = serviceError(code, message, status)
      // The SDK's standard retry mode makes 3 attempts, like the AWS CLI v2's.
      if ((e.$metadata?.attempts ?? 1) >= MAX_ATTEMPTS) failure.retriesExhausted = (e.$metadata?.attempts ?? 1) - 1
      return failure
    }
    const endpoint = `${new URL(this.settings.endpointUrl ?? `https://servicediscovery.${this.settings.region}.amazonaws.com`).origin}/`
    const text = `${e.code ?? ''} ${e.name ?? ''} ${e.message ?? ''}`
    if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN/.test(text)) {
      return new CloudmapError('other', `Could not connect to the endpoint URL: "${endpoint}"`)
    }
    if (/TimeoutError|ETIMEDOUT|timed? ?out/i.test(text)) {
      return new CloudmapError('other', `${/connect/i.test(text) ? 'Connect' : 'Read'} timeout on endpoint URL: "${endpoint}"`)
    }
    if (e.name === 'CredentialsProviderError') {
      return new CloudmapError('config', 'Unable to locate credentials. You can configure credentials by running "aws configure".')
    }
    return error instanceof Error ? error : new Error(String(error))
  }
}

const MAX_ATTEMPTS = 3

/**
 * Runs inside the SDK's deserializer, once per attempt: reads the raw response body, keeps a copy for
 * the caller (keyed by the request's input object), and gives the deserializer the same bytes.
 */
const capturedBodies = new WeakMap<object, Uint8Array>()
const captureBodyMiddleware = ((next: (args: { input: object }) => Promise<{ response: { body?: unknown } }>) =>
  async (args: { input: object }) => {
    const result = await next(args)
    const body = result.response.body
    if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      const chunks: Uint8Array[] = []
      for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
      const bytes = Buffer.concat(chunks)
      result.response.body = bytes
      capturedBodies.set(args.input, bytes)
    }
    return result
  }) as never
