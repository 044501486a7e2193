import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { USAGE } from '../../src/cli/report-error.js'
import { fakeResponse, inputSkeleton, inputSkeletonJson, inputSkeletonYaml } from '../../src/cli/skeleton.js'
import { OPERATIONS } from '../../src/model/index.js'
import type { Capture } from '../helpers/captures.js'
import { captureArgv, listCaptures, readCapture, readCaptureSet } from '../helpers/captures.js'
import { runInProcess } from '../helpers/in-process.js'

/**
 * `--generate-cli-skeleton input|yaml-input|output` against the AWS CLI's captures: 07-* (single
 * commands) and 13-* (every operation, three files of many commands). The command line of each capture
 * goes through the operation command's own run() in-process; the service is never called.
 */

/**
 * A 2.9.19 error capture in the current AWS CLI v2 wording (the 09-*.latest captures show the mapping),
 * with `cloudmap` for `aws`: every error here is a parameter-validation class error, printed as
 * "cloudmap: [ERROR]: An error occurred (ParamValidation): <message>", argparse's followed by the usage
 * text, invalid choices as "Found invalid choice 'x'".
 */
function currentStderr(capture: Capture): string {
  const stderr = capture.stderr
  if (stderr === '') return ''
  const prefix = '\ncloudmap: [ERROR]: An error occurred (ParamValidation): '
  const argparse = stderr.indexOf('aws: error: ')
  if (stderr.startsWith('\nusage: aws ') && argparse !== -1) {
    let message = stderr.slice(argparse + 'aws: error: '.length).replace(/\n+$/, '')
    const choice = /^argument (--[a-z-]+): Invalid choice, valid choices are:/.exec(message)
    if (choice) {
      const argv = captureArgv(capture)
      message = `argument ${choice[1]}: Found invalid choice '${argv[argv.indexOf(choice[1]) + 1]}'\n`
    }
    return `${prefix}${message}\n\n${USAGE.trim()}\n`
  }
  return `${prefix}${stderr.trim()}\n`
}

/**
 * The 07-* skeleton captures were made with the AWS CLI's stock 26-operation model; cloudmap's model is
 * the 30-operation one of the 13-* captures (botocore 1.43.11, as bundled with the current v2), whose
 * documentation and members differ for a few shapes. These are compared with the 13-* capture of the
 * same command instead, or (outputs) with the members the newer model added left out.
 */
const MODEL_DIFFERS: Record<string, string> = {
  '07-03-skeleton-create-service-yaml-input.txt': 'NamespaceId documentation ("The ID or Amazon Resource Name (ARN) of ...")',
  '07-06-skeleton-register-instance-yaml-input.txt': 'ServiceId documentation',
  '07-14-skeleton-update-service-yaml-input.txt': 'Id documentation',
  '07-29-skeleton-discover-instances-input.txt': 'DiscoverInstancesRequest.OwnerAccount',
  '07-09-skeleton-list-namespaces-output.txt': 'NamespaceSummary.ResourceOwner',
  '07-10-skeleton-get-namespace-output-table.txt': 'Namespace.ResourceOwner',
}
/** Members the 30-operation model added to the output shapes of 07-09 and 07-10. */
const NEW_OUTPUT_MEMBERS = /ResourceOwner/

const savedEnv = { ...process.env }
beforeAll(() => {
  // Hermetic: nothing from the machine's AWS settings (AWS_DEFAULT_OUTPUT would change every output).
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') || key.startsWith('CLOUDMAP_')) delete process.env[key]
  process.env.TZ = 'UTC'
})
afterAll(() => {
  process.env = savedEnv
})

const sets = ['13-skeleton-input-all-ops.txt', '13-skeleton-yaml-input-all-ops.txt', '13-skeleton-output-all-ops.txt']
// (listCaptures only lists NN-NN-* files.)
const model30 = sets.flatMap(readCaptureSet)

describe('13-*: every operation, input / yaml-input / output (30-operation model)', () => {
  it('covers the 30 operations three times', () => {
    expect(model30).toHaveLength(90)
    expect(new Set(model30.map((c) => captureArgv(c)[0]))).toEqual(new Set(OPERATIONS.map((o) => o.cliName)))
  })

  it.each(model30.map((c) => [c.command.replace(/^AWS_DATA_PATH=\S+ aws servicediscovery /, ''), c] as const))('%s', async (_name, capture) => {
    const r = await runInProcess(captureArgv(capture))
    expect(r.called, 'the service is never called').toBeUndefined()
    expect(r.stdout).toBe(capture.stdout)
    expect(r.stderr).toBe(currentStderr(capture))
    expect(r.exitCode).toBe(capture.exitCode)
  })
})

const singles = listCaptures((f) => f.startsWith('07-') && /skeleton/.test(f)).map(readCapture)

describe('07-*: --generate-cli-skeleton captures', () => {
  it.each(singles.map((c) => [c.file, c] as const))('%s', async (file, capture) => {
    const argv = captureArgv(capture)
    const r = await runInProcess(argv)
    expect(r.called, 'the service is never called').toBeUndefined()
    expect(r.exitCode).toBe(capture.exitCode)
    expect(r.stderr).toBe(currentStderr(capture))
    if (!MODEL_DIFFERS[file]) return void expect(r.stdout).toBe(capture.stdout)
    const kind = argv[argv.indexOf('--generate-cli-skeleton') + 1] ?? 'input'
    const twin = model30.find((c) => {
      const a = captureArgv(c)
      return a[0] === argv[0] && a[a.indexOf('--generate-cli-skeleton') + 1] === (kind.startsWith('--') ? 'input' : kind)
    })
    if (twin && kind !== 'output') {
      // Same command in the 30-operation model.
      expect(r.stdout).toBe(twin.stdout)
      expect(r.stdout).not.toBe(capture.stdout)
    } else {
      // The 26-operation output with the newer model's extra members removed (JSON lines or table rows).
      const kept = r.stdout.split('\n').filter((l) => !NEW_OUTPUT_MEMBERS.test(l))
      expect(kept.join('\n')).toBe(capture.stdout)
    }
  })
})

describe('skeleton values (botocore ArgumentGenerator)', () => {
  const op = (name: string) => OPERATIONS.find((o) => o.name === name)!

  it('input: every member in model order, first enum value, 0 for numbers, one-element lists, KeyName maps', () => {
    expect(inputSkeleton(op('ListNamespaces'))).toEqual({ NextToken: '', MaxResults: 0, Filters: [{ Name: 'TYPE', Values: [''], Condition: 'EQ' }] })
    expect(Object.keys(inputSkeleton(op('CreateService')))).toEqual(['Name', 'NamespaceId', 'CreatorRequestId', 'Description', 'DnsConfig', 'HealthCheckConfig', 'HealthCheckCustomConfig', 'Tags', 'Type'])
    expect(inputSkeleton(op('RegisterInstance')).Attributes).toEqual({ KeyName: '' })
  })

  it('input JSON: indent 4, a final newline, ASCII only', () => {
    expect(inputSkeletonJson(op('DeleteService'))).toBe('{\n    "Id": ""\n}\n')
    expect(inputSkeletonJson(op('CreateService'))).toMatch(/^[\x00-\x7f]*$/)
  })

  it('output: member names as strings, 0, a naive 1970 datetime per format', () => {
    const json = fakeResponse(op('GetOperation'), 'json') as { Operation: Record<string, unknown> }
    expect(json.Operation.Id).toBe('Id')
    expect(json.Operation.CreateDate).toBe('1970-01-01T00:00:00')
    expect((fakeResponse(op('GetOperation'), 'table') as { Operation: Record<string, unknown> }).Operation.CreateDate).toBe('1970-01-01 00:00:00')
    expect((fakeResponse(op('GetOperation'), 'text') as { Operation: Record<string, unknown> }).Operation.CreateDate).toBe('1970-01-01 00:00:00')
    expect(fakeResponse(op('UpdateInstanceCustomHealthStatus'), 'json')).toEqual({})
  })

  it('yaml-input: comment spacing follows ruamel (two spaces for the first commented key, one after)', () => {
    const lines = inputSkeletonYaml(op('DeregisterInstance')).split('\n')
    expect(lines[0]).toMatch(/^ServiceId: '' {2}# \[REQUIRED\] /)
    expect(lines[1]).toMatch(/^InstanceId: '' # \[REQUIRED\] /)
  })
})

describe('--generate-cli-skeleton through run()', () => {
  it('needs no required flag for input and yaml-input, but does for output', async () => {
    expect((await runInProcess(['get-namespace', '--generate-cli-skeleton'])).stdout).toBe('{\n    "Id": ""\n}\n')
    expect((await runInProcess(['get-namespace', '--generate-cli-skeleton', 'yaml-input'])).exitCode).toBe(0)
    const r = await runInProcess(['get-namespace', '--generate-cli-skeleton', 'output'])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toContain('the following arguments are required: --id')
  })

  it('only an exact --generate-cli-skeleton token lifts required flags (not --opt=value, not a prefix)', async () => {
    expect((await runInProcess(['get-namespace', '--generate-cli-skeleton=input'])).stderr).toContain('the following arguments are required: --id')
    expect((await runInProcess(['get-namespace', '--generate-cli-skel'])).stderr).toContain('the following arguments are required: --id')
  })

  it('output validates the parameters after the fake response', async () => {
    const r = await runInProcess(['list-instances', '--service-id', 's', '--max-results', '0', '--generate-cli-skeleton', 'output'])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid value for parameter MaxResults, value: 0, valid min value: 1\n')
  })

  it('output honours --output and --query', async () => {
    const text = await runInProcess(['get-operation', '--operation-id', 'x', '--generate-cli-skeleton', 'output', '--output', 'text', '--query', 'Operation.[Id,CreateDate]'])
    expect(text.stdout).toBe('Id\t1970-01-01 00:00:00\n')
    const json = await runInProcess(['get-operation', '--operation-id', 'x', '--generate-cli-skeleton', 'output', '--query', 'Operation.CreateDate'])
    expect(json.stdout).toBe('"1970-01-01T00:00:00"\n')
  })

  it('merges --cli-input-json before printing an input skeleton, so a bad document still fails', async () => {
    const r = await runInProcess(['get-namespace', '--cli-input-json', '[1]', '--generate-cli-skeleton'])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toContain("Invalid type: expecting map, received <class 'list'>")
  })
})
