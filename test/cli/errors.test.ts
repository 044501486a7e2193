import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { describeError } from '../../src/cli/report-error.js'
import { CloudmapError } from '../../src/registry/errors.js'
import { readCapture } from '../helpers/captures.js'
import { runCli, tempRegistry } from '../helpers/cli.js'

const USAGE = `usage: cloudmap [options] <command> [parameters]
To see help text, you can run:

  cloudmap --help
  cloudmap <command> --help
`

// stderr and exit codes of the current AWS CLI v2 (write_error: "\naws: [ERROR]: <message>\n"),
// with `cloudmap` for `aws`; exit codes from awscli/constants.py.
describe('errors as the AWS CLI reports them', () => {
  it('a service error: 254 and "An error occurred (Code) when calling the Op operation: message"', () => {
    const { path } = tempRegistry()
    const r = runCli(['get-namespace', '--id', 'ns-doesnotexist'], { CLOUDMAP_REGISTRY: path })
    expect(r.status).toBe(254)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: An error occurred (NamespaceNotFound) when calling the GetNamespace operation: Namespace not found: ns-doesnotexist\n')
  })

  it('a service error with an empty message: no trailing space, as the current AWS CLI (2.9.19 kept one)', () => {
    const latest = readCapture('09-02-service-error-empty-message.latest.txt')
    const old = readCapture('09-02-service-error-empty-message.txt')
    // The two versions differ (README, "How cloudmap differs"): cloudmap follows the current one.
    expect(old.stderr).toMatch(/operation: \n$/)
    const { stderr, exitCode } = describeError(new CloudmapError('service', '', 'OperationNotFound'), 'GetOperation')
    expect(exitCode).toBe(latest.exitCode)
    expect(stderr).toBe(latest.stderr.replace('aws: [ERROR]', 'cloudmap: [ERROR]'))
  })

  it('a missing required flag: 252, the missing flags in model order, then the usage', () => {
    const r = runCli(['register-instance'])
    expect(r.status).toBe(252)
    expect(r.stderr).toBe(`\ncloudmap: [ERROR]: An error occurred (ParamValidation): the following arguments are required: --service-id, --instance-id, --attributes\n\n${USAGE}`)
  })

  it('unknown options: 252, the usage first, then "Unknown options: ..."', () => {
    const r = runCli(['list-namespaces', '--foo', 'bar'])
    expect(r.status).toBe(252)
    expect(r.stderr).toBe(`\n${USAGE}\n\ncloudmap: [ERROR]: Unknown options: --foo, bar\n`)
  })

  it('an invalid choice: 252 with a blank line before the usage', () => {
    const r = runCli(['list-namespaces', '--output', 'xml'])
    expect(r.status).toBe(252)
    expect(r.stderr).toBe(`\ncloudmap: [ERROR]: An error occurred (ParamValidation): argument --output: Found invalid choice 'xml'\n\n\n${USAGE}`)
  })

  it('an unknown command: 252 with difflib suggestions', () => {
    const r = runCli(['list-namespace'])
    expect(r.status).toBe(252)
    expect(r.stderr).toBe(
      `\ncloudmap: [ERROR]: An error occurred (ParamValidation): argument command: Found invalid choice 'list-namespace'\n\nMaybe you meant:\n\n  * list-namespaces\n  * get-namespace\n  * delete-namespace\n\n${USAGE}`,
    )
  })

  it('a bad shorthand value: 252, "Error parsing parameter" with the position', () => {
    const r = runCli(['create-service', '--name', 'x', '--dns-config', 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain("An error occurred (ParamValidation): Error parsing parameter '--dns-config': Expected: ',', received: 'EOF' for input:")
  })

  it('client-side validation: 252 with every problem listed (botocore ParamValidator)', () => {
    const r = runCli(['create-service', '--name', '', '--dns-config', 'DnsRecords=[{Type=A,TTL=-1}]', '--health-check-custom-config', 'FailureThreshold=0'])
    expect(r.status).toBe(252)
    expect(r.stderr).toBe(
      '\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\n' +
        'Invalid value for parameter DnsConfig.DnsRecords[0].TTL, value: -1, valid min value: 0\n' +
        'Invalid value for parameter HealthCheckCustomConfig.FailureThreshold, value: 0, valid min value: 1\n',
    )
  })

  it('an int() failure exits 255, as in the AWS CLI', () => {
    const r = runCli(['list-namespaces', '--max-results', '5.5'])
    expect(r.status).toBe(255)
    expect(r.stderr).toBe("\ncloudmap: [ERROR]: invalid literal for int() with base 10: '5.5'\n")
  })

  it('an endpoint that refuses connections: 255 "Could not connect to the endpoint URL"', () => {
    const r = runCli(['list-namespaces', '--endpoint-url', 'http://127.0.0.1:9'], { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' })
    expect(r.status).toBe(255)
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: Could not connect to the endpoint URL: "http://127.0.0.1:9/"\n')
  })

  it('an endpoint without a scheme: 252 as the AWS CLI', () => {
    const r = runCli(['list-namespaces', '--endpoint-url', 'localhost'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('Bad value for --endpoint-url "localhost": scheme is missing.')
  })

  it('an empty response prints nothing at all (delete-service)', () => {
    const { path } = tempRegistry()
    const env = { CLOUDMAP_REGISTRY: path }
    const op = JSON.parse(runCli(['create-http-namespace', '--name', 'n'], env).stdout).OperationId
    const ns = JSON.parse(runCli(['get-operation', '--operation-id', op], env).stdout).Operation.Targets.NAMESPACE
    const srv = JSON.parse(runCli(['create-service', '--name', 's', '--namespace-id', ns], env).stdout).Service.Id
    const r = runCli(['delete-service', '--id', srv], env)
    expect(r).toEqual({ stdout: '', stderr: '', status: 0 })
  })
})

describe('a failed command never changes the registry file', () => {
  it('leaves the bytes as they were after a service error, a usage error and a validation error', () => {
    const { path } = tempRegistry()
    const env = { CLOUDMAP_REGISTRY: path }
    const op = JSON.parse(runCli(['create-http-namespace', '--name', 'keep'], env).stdout).OperationId
    const ns = JSON.parse(runCli(['get-operation', '--operation-id', op], env).stdout).Operation.Targets.NAMESPACE
    const srv = JSON.parse(runCli(['create-service', '--name', 's', '--namespace-id', ns], env).stdout).Service.Id
    runCli(['register-instance', '--service-id', srv, '--instance-id', 'i', '--attributes', 'k=v'], env)
    const before = readFileSync(path)
    expect(runCli(['delete-namespace', '--id', ns], env).status).toBe(254) // ResourceInUse
    expect(runCli(['delete-service', '--id', srv], env).status).toBe(254) // ResourceInUse
    expect(runCli(['create-http-namespace', '--name', 'keep'], env).status).toBe(254) // NamespaceAlreadyExists
    expect(runCli(['register-instance', '--service-id', srv], env).status).toBe(252)
    expect(runCli(['register-instance', '--service-id', srv, '--instance-id', '', '--attributes', 'k=v'], env).status).toBe(254) // InvalidInput
    expect(runCli(['create-service', '--name', 't', '--namespace-id', ns, '--dns-config', 'DnsRecords=[{Type=A,TTL=-1}]'], env).status).toBe(252)
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('does not create the registry file for reads or failures', () => {
    const { path } = tempRegistry()
    runCli(['list-namespaces'], { CLOUDMAP_REGISTRY: path })
    runCli(['get-namespace', '--id', 'ns-x'], { CLOUDMAP_REGISTRY: path })
    expect(existsSync(path)).toBe(false)
  })
})
