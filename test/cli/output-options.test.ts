import { describe, expect, it } from 'vitest'
import { runCli, tempRegistry } from '../helpers/cli.js'

/** Global output options through the built binary, on a local registry with a few namespaces. */
function registryWithNamespaces(names: string[]): Record<string, string> {
  const { path } = tempRegistry()
  const env = { CLOUDMAP_REGISTRY: path }
  for (const name of names) expect(runCli(['create-http-namespace', '--name', name], env).status).toBe(0)
  return env
}

describe('output options', () => {
  const env = registryWithNamespaces(['alpha', 'beta', 'gamma'])

  it('--output off prints nothing and succeeds (current AWS CLI v2)', () => {
    expect(runCli(['list-namespaces', '--output', 'off'], env)).toEqual({ stdout: '', stderr: '', status: 0 })
  })

  it('AWS_DEFAULT_OUTPUT picks the format; --output wins over it', () => {
    expect(runCli(['list-namespaces', '--query', 'Namespaces[].Name'], { ...env, AWS_DEFAULT_OUTPUT: 'text' }).stdout).toBe('alpha\tbeta\tgamma\n')
    expect(runCli(['list-namespaces', '--query', 'Namespaces[].Name', '--output', 'json'], { ...env, AWS_DEFAULT_OUTPUT: 'text' }).stdout).toBe('[\n    "alpha",\n    "beta",\n    "gamma"\n]\n')
  })

  it('an invalid AWS_DEFAULT_OUTPUT fails late with "Unknown output type", exit 255', () => {
    const r = runCli(['list-namespaces'], { ...env, AWS_DEFAULT_OUTPUT: 'xml' })
    expect(r.status).toBe(255)
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: Unknown output type: xml\n')
  })

  it('--max-items cuts the listing and prints a resume token --starting-token accepts', () => {
    const first = JSON.parse(runCli(['list-namespaces', '--max-items', '2'], env).stdout)
    expect(first.Namespaces.map((n: { Name: string }) => n.Name)).toEqual(['alpha', 'beta'])
    expect(Buffer.from(first.NextToken, 'base64').toString()).toBe('{"NextToken": null, "boto_truncate_amount": 2}')
    const rest = JSON.parse(runCli(['list-namespaces', '--starting-token', first.NextToken], env).stdout)
    expect(rest.Namespaces.map((n: { Name: string }) => n.Name)).toEqual(['gamma'])
    expect(rest.NextToken).toBeUndefined()
  })

  it('text output with --query runs the query on each page and on the resume token (awscli TextFormatter)', () => {
    expect(runCli(['list-namespaces', '--page-size', '1', '--query', 'Namespaces[0].Name', '--output', 'text'], env).stdout).toBe('alpha\nbeta\ngamma\n')
    expect(runCli(['list-namespaces', '--max-items', '1', '--query', 'Namespaces[].Name', '--output', 'text'], env).stdout).toBe('alpha\nNone\n')
  })

  it('--no-paginate with a paging option is a usage error', () => {
    const r = runCli(['list-namespaces', '--no-paginate', '--max-items', '1'], env)
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('Cannot specify --no-paginate along with pagination arguments: --max-items')
  })

  it('--cli-error-format json and text print the error as data', () => {
    const json = runCli(['get-namespace', '--id', 'ns-x', '--cli-error-format', 'json'], env)
    expect(json.status).toBe(254)
    expect(JSON.parse(json.stderr)).toEqual({ Message: expect.any(String), Code: 'NamespaceNotFound' })
    expect(Object.keys(JSON.parse(json.stderr))).toEqual(['Message', 'Code'])
    const text = runCli(['get-namespace', '--id', 'ns-x'], { ...env, AWS_CLI_ERROR_FORMAT: 'text' })
    expect(text.stderr).toMatch(/^NamespaceNotFound\t.+\n$/)
  })

  it('--debug logs to stderr and leaves stdout as it was', () => {
    const plain = runCli(['list-namespaces', '--query', 'length(Namespaces)'], env)
    const debug = runCli(['list-namespaces', '--query', 'length(Namespaces)', '--debug'], env)
    expect(debug.stdout).toBe(plain.stdout)
    expect(debug.stderr).toMatch(/ - MainThread - cloudmap - DEBUG - calling ListNamespaces on local registry /)
  })

  it('--color on colours table output only', () => {
    const table = runCli(['list-namespaces', '--query', 'Namespaces[0].Name', '--output', 'table', '--color', 'on'], env)
    expect(table.stdout).toContain('\u001b[')
    const json = runCli(['list-namespaces', '--query', 'Namespaces[0].Name', '--color', 'on'], env)
    expect(json.stdout).toBe('"alpha"\n')
  })

  it('a bad --query is refused before any call (252)', () => {
    const r = runCli(['list-namespaces', '--query', 'Namespaces[?'], env)
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('An error occurred (ParamValidation): Bad value for --query Namespaces[?: Invalid jmespath expression: ')
  })
})
