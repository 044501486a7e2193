import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requiredArgsOverridden, loadCliInput } from '../../src/cli/cli-input.js'
import { USAGE } from '../../src/cli/report-error.js'
import { CloudmapError } from '../../src/registry/errors.js'
import type { Capture } from '../helpers/captures.js'
import { captureArgv, listCaptures, readCapture } from '../helpers/captures.js'
import { runInProcess } from '../helpers/in-process.js'

/**
 * `--cli-input-json` / `--cli-input-yaml` (captures 07-17..07-28): the command line of each capture runs
 * through the operation command's own run() in-process. Errors are compared with the current AWS CLI v2
 * wording; successful commands first with the service call stubbed (the parameters it would get), then
 * for real against a local registry holding the captures' fixtures.
 */

/** 2.9.19's stderr in the current v2 wording: these are all parameter-validation class errors (exit 252). */
function currentStderr(capture: Capture): string {
  return capture.stderr === '' ? '' : `\ncloudmap: [ERROR]: An error occurred (ParamValidation): ${capture.stderr.trim()}\n`
}

// The scratch files of the captures, as their outputs show them.
const SCRATCH: Record<string, string> = {
  'create-service-input.json': `${JSON.stringify({ Name: 'from-json', Description: 'created via --cli-input-json', DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } }, null, 2)}\n`,
  'register-instance-input.yaml': 'ServiceId: srv-wp45le6v\nInstanceId: i-from-yaml\nAttributes:\n  AWS_INSTANCE_IPV4: 10.0.0.9\n  AWS_INSTANCE_PORT: "8080"\n',
}

const savedEnv = { ...process.env }
const savedCwd = process.cwd()
let scratch = ''
beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') || key.startsWith('CLOUDMAP_')) delete process.env[key]
  process.env.TZ = 'UTC'
  scratch = mkdtempSync(join(tmpdir(), 'cloudmap-cli-input-'))
  for (const [name, text] of Object.entries(SCRATCH)) writeFileSync(join(scratch, name), text)
  process.chdir(scratch)
})
afterAll(() => {
  process.chdir(savedCwd)
  process.env = savedEnv
})

const captures = listCaptures((f) => /^07-(1[7-9]|2[0-8])-/.test(f)).map(readCapture)
const errors = captures.filter((c) => c.exitCode !== 0)
const successes = captures.filter((c) => c.exitCode === 0)

describe('07-17..07-28 captures', () => {
  it('has the captures', () => {
    expect(captures.map((c) => c.file.slice(0, 5))).toEqual(['07-17', '07-18', '07-19', '07-20', '07-21', '07-22', '07-23', '07-24', '07-25', '07-26', '07-27', '07-28'])
  })

  it.each(errors.map((c) => [c.file, c] as const))('%s: the same error, current v2 wording', async (_file, capture) => {
    const r = await runInProcess(captureArgv(capture))
    expect(r.called).toBeUndefined()
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(currentStderr(capture))
    expect(r.exitCode).toBe(capture.exitCode)
  })

  it.each(successes.map((c) => [c.file, c] as const))('%s: reaches the service call with the merged parameters', async (_file, capture) => {
    const r = await runInProcess(captureArgv(capture))
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(r.called).toBeDefined()
  })

  it('07-17: the document fills what the command line did not set; the idempotency token is still filled', async () => {
    const r = await runInProcess(captureArgv(captures.find((c) => c.file.startsWith('07-17'))!))
    expect(r.called).toMatchObject({
      Name: 'from-json',
      NamespaceId: 'ns-eegh6w4jr0k0lftowluq',
      Description: 'created via --cli-input-json',
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] },
    })
    expect(r.called?.CreatorRequestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('07-18: the command line wins over the document', async () => {
    const r = await runInProcess(captureArgv(captures.find((c) => c.file.startsWith('07-18'))!))
    expect(r.called).toMatchObject({ Name: 'cli-wins', Description: 'created via --cli-input-json' })
  })

  it('07-19: a YAML file', async () => {
    const r = await runInProcess(captureArgv(captures.find((c) => c.file.startsWith('07-19'))!))
    expect(r.called).toMatchObject({ ServiceId: 'srv-wp45le6v', InstanceId: 'i-from-yaml', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.9', AWS_INSTANCE_PORT: '8080' } })
  })

  it('07-20, 07-28: inline JSON', async () => {
    expect((await runInProcess(captureArgv(captures.find((c) => c.file.startsWith('07-20'))!))).called).toEqual({ Id: 'ns-2t4hnjiq0bzfkj9pz399' })
    expect((await runInProcess(captureArgv(captures.find((c) => c.file.startsWith('07-28'))!))).called).toEqual({ ServiceId: 'srv-wp45le6v', MaxResults: 1 })
  })
})

describe('07-17..07-28 for real, against a local registry with the captures\' fixtures', () => {
  const ids: Record<string, string> = {}
  const byPrefix = (prefix: string) => captures.find((c) => c.file.startsWith(prefix))!
  /** The capture's argv with moto's ids replaced by this registry's. */
  const argvOf = (prefix: string) => {
    const argv = captureArgv(byPrefix(prefix)).map((w) => w.replaceAll(/ns-eegh6w4jr0k0lftowluq|ns-2t4hnjiq0bzfkj9pz399|srv-wp45le6v/g, (id) => ids[id] ?? id))
    // moto's endpoint gives way to the local registry.
    const at = argv.indexOf('--endpoint-url')
    if (at !== -1) argv.splice(at, 2)
    return argv
  }
  const json = async <T>(argv: string[]): Promise<T> => {
    const r = await runInProcess(argv, true)
    expect(r.stderr).toBe('')
    return JSON.parse(r.stdout) as T
  }

  beforeAll(async () => {
    process.env.CLOUDMAP_REGISTRY = join(scratch, 'registry.json')
    const namespace = async (kind: string, name: string, extra: string[] = []) => {
      const { OperationId } = await json<{ OperationId: string }>([kind, '--name', name, ...extra])
      return (await json<{ Operation: { Targets: { NAMESPACE: string } } }>(['get-operation', '--operation-id', OperationId])).Operation.Targets.NAMESPACE
    }
    ids['ns-2t4hnjiq0bzfkj9pz399'] = await namespace('create-http-namespace', 'http-ns')
    ids['ns-eegh6w4jr0k0lftowluq'] = await namespace('create-private-dns-namespace', 'private.example', ['--vpc', 'vpc-1'])
    ids['srv-wp45le6v'] = (await json<{ Service: { Id: string } }>(['create-service', '--name', 'web', '--namespace-id', ids['ns-2t4hnjiq0bzfkj9pz399']])).Service.Id
    for (const i of [1, 2, 3]) {
      await json(['register-instance', '--service-id', ids['srv-wp45le6v'], '--instance-id', `i-web-${i}`, '--attributes', `AWS_INSTANCE_IPV4=10.0.0.${i},AWS_INSTANCE_PORT=80`])
    }
    writeFileSync(join(scratch, 'register-instance-input.yaml'), SCRATCH['register-instance-input.yaml'].replace('srv-wp45le6v', ids['srv-wp45le6v']))
  })
  afterAll(() => {
    delete process.env.CLOUDMAP_REGISTRY
  })

  it('07-17: the created service carries the document\'s settings', async () => {
    const expected = JSON.parse(byPrefix('07-17').stdout).Service
    const service = (await json<{ Service: Record<string, unknown> }>(argvOf('07-17'))).Service
    expect(service).toMatchObject({ Name: expected.Name, Description: expected.Description, DnsConfig: expected.DnsConfig })
  })

  it('07-18: byte for byte', async () => {
    expect((await runInProcess(argvOf('07-18'), true)).stdout).toBe(byPrefix('07-18').stdout)
  })

  it('07-19: registers from YAML', async () => {
    expect(Object.keys(await json<Record<string, unknown>>(argvOf('07-19')))).toEqual(['OperationId'])
  })

  it('07-20: byte for byte', async () => {
    expect((await runInProcess(argvOf('07-20'), true)).stdout).toBe(byPrefix('07-20').stdout)
  })

  it('07-28: MaxResults in the document means one page, as the hidden --max-results flag does', async () => {
    const page = await json<{ Instances: Array<Record<string, unknown>>; NextToken?: string }>(argvOf('07-28'))
    const expected = JSON.parse(byPrefix('07-28').stdout)
    expect(page.Instances).toHaveLength(1)
    expect({ Id: page.Instances[0].Id, Attributes: page.Instances[0].Attributes }).toEqual(expected.Instances[0])
    expect(typeof page.NextToken).toBe('string')
    // Without it the CLI follows every page.
    const all = await json<{ Instances: unknown[]; NextToken?: string }>(['list-instances', '--cli-input-json', JSON.stringify({ ServiceId: ids['srv-wp45le6v'] })])
    expect(all.Instances.length).toBeGreaterThanOrEqual(3)
    expect(all.NextToken).toBeUndefined()
  })
})

describe('which tokens make required flags optional (OverrideRequiredArgsArgument)', () => {
  it.each([
    [['--cli-input-json', '{}'], true],
    [['--cli-input-yaml', 'Id: x'], true],
    [['--generate-cli-skeleton'], true],
    [['--generate-cli-skeleton', 'input'], true],
    [['--generate-cli-skeleton', 'yaml-input'], true],
    [['--generate-cli-skeleton', 'output'], false],
    [['--generate-cli-skeleton', '--output', 'json'], true],
    [['--cli-input-json={}'], false],
    [['--cli-input-j', '{}'], false],
    [['--generate-cli-skeleton=input'], false],
    [['--id', 'x'], false],
  ] as const)('%j -> %s', (argv, expected) => {
    expect(requiredArgsOverridden(argv)).toBe(expected)
  })

  it('an abbreviated or --opt=value flag is read, but required flags stay required', async () => {
    for (const argv of [['get-namespace', '--cli-input-json={"Id": "x"}'], ['get-namespace', '--cli-input-j', '{"Id": "x"}']]) {
      const r = await runInProcess(argv)
      expect(r.exitCode).toBe(252)
      expect(r.stderr).toBe(`\ncloudmap: [ERROR]: An error occurred (ParamValidation): the following arguments are required: --id\n\n${USAGE.trim()}\n`)
    }
  })
})

describe('reading the document', () => {
  const load = (flag: 'cli-input-json' | 'cli-input-yaml', value: string) => loadCliInput(new Map([[flag, value]]))
  const failure = async (flag: 'cli-input-json' | 'cli-input-yaml', value: string) => {
    try {
      await load(flag, value)
    } catch (error) {
      if (error instanceof CloudmapError) return { kind: error.kind, message: error.message }
      throw error
    }
    throw new Error('no error')
  }

  it('YAML scalars are typed as the safe loader types them', async () => {
    expect(await load('cli-input-yaml', 'Id: x\nMaxResults: 5\nBig: 12345678901234567890\nList: [a, b]\n')).toEqual({ Id: 'x', MaxResults: 5, Big: 12345678901234567890n, List: ['a', 'b'] })
  })

  it('a document that is not a mapping, by its Python type', async () => {
    expect(await failure('cli-input-yaml', '')).toEqual({ kind: 'param', message: "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'NoneType'>" })
    expect(await failure('cli-input-yaml', '- a')).toEqual({ kind: 'param', message: "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'list'>" })
    expect(await failure('cli-input-json', '"x"')).toEqual({ kind: 'param', message: "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'str'>" })
    expect(await failure('cli-input-json', '')).toEqual({ kind: 'param', message: "Error parsing parameter 'cli-input-json': Invalid JSON received." })
  })

  it('file:// and fileb:// documents; a missing file is a parameter error naming the flag (252, as /usr/bin/aws)', async () => {
    writeFileSync(join(scratch, 'doc.json'), '{"Id": "from-file"}')
    expect(await load('cli-input-json', 'file://doc.json')).toEqual({ Id: 'from-file' })
    expect(await load('cli-input-json', 'fileb://doc.json')).toEqual({ Id: 'from-file' })
    expect(await failure('cli-input-json', 'file://missing.json')).toEqual({ kind: 'param', message: "Error parsing parameter '--cli-input-json': Unable to load paramfile file://missing.json: [Errno 2] No such file or directory: 'missing.json'" })
    const r = await runInProcess(['get-namespace', '--cli-input-json', 'file://missing.json'])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toBe("\ncloudmap: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--cli-input-json': Unable to load paramfile file://missing.json: [Errno 2] No such file or directory: 'missing.json'\n")
  })
})

describe('merging into the call', () => {
  it('values are API shapes, never shorthand: botocore validation reports them', async () => {
    const r = await runInProcess(['create-service', '--cli-input-json', '{"Name": "x", "DnsConfig": "RoutingPolicy=MULTIVALUE"}'])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toBe(
      "\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid type for parameter DnsConfig, value: RoutingPolicy=MULTIVALUE, type: <class 'str'>, valid types: <class 'dict'>\n",
    )
  })

  it('an idempotency token from the document is kept', async () => {
    const r = await runInProcess(['create-http-namespace', '--cli-input-json', '{"Name": "n", "CreatorRequestId": "mine"}'])
    expect(r.called).toEqual({ Name: 'n', CreatorRequestId: 'mine' })
  })

  it('the document is read before --generate-cli-skeleton output validates and answers', async () => {
    const r = await runInProcess(['get-namespace', '--cli-input-yaml', 'Id: x', '--generate-cli-skeleton', 'output', '--query', 'Namespace.Id', '--output', 'text'])
    expect(r).toMatchObject({ stdout: 'Id\n', stderr: '', exitCode: 0 })
  })
})

/**
 * Types as botocore validates them (issue 13, item 3). The messages are /usr/bin/aws's (2.9.19) for the
 * same documents, in the current v2 wording.
 */
describe('--cli-input-* types as botocore sees them', () => {
  const validation = (lines: string) => `\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\n${lines}\n`
  it('a float where an integer is expected is refused (JSON and YAML keep floats)', async () => {
    const json = await runInProcess(['list-namespaces', '--cli-input-json', '{"MaxResults": 1.0}'])
    expect([json.exitCode, json.stderr]).toEqual([252, validation("Invalid type for parameter MaxResults, value: 1.0, type: <class 'float'>, valid types: <class 'int'>")])
    const yaml = await runInProcess(['list-namespaces', '--cli-input-yaml', 'Filters: [{Name: TYPE, Values: [1.0], Condition: EQ}]'])
    expect(yaml.stderr).toBe(validation("Invalid type for parameter Filters[0].Values[0], value: 1.0, type: <class 'float'>, valid types: <class 'str'>"))
  })
  it('true where an integer is expected passes (a bool is an int to Python)', async () => {
    expect((await runInProcess(['list-namespaces', '--cli-input-json', '{"MaxResults": true}'])).called).toEqual({ MaxResults: true })
  })
  it('PaginationConfig is the paginator\'s: MaxItems, PageSize, StartingToken', async () => {
    const r = await runInProcess(['list-namespaces', '--cli-input-json', '{"PaginationConfig": {"MaxItems": 1, "PageSize": 5}}'])
    expect([r.exitCode, r.stderr]).toEqual([0, ''])
    // Taken out of the parameters: it is not the service's.
    expect(r.called).toEqual({})
    const bad = await runInProcess(['list-namespaces', '--cli-input-json', '{"PaginationConfig": {"MaxItems": "x"}}'])
    expect([bad.exitCode, bad.stderr]).toEqual([255, "\ncloudmap: [ERROR]: invalid literal for int() with base 10: 'x'\n"])
  })
})
