import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli, tempRegistry } from '../helpers/cli.js'

// AWS's own Cloud Map walk-through with `aws servicediscovery` replaced by `cloudmap`, on a fresh
// local registry, through the built binary.
describe('the seed walk-through', () => {
  it('creates, registers and discovers exactly as the AWS CLI prints it', () => {
    const { path } = tempRegistry()
    const env = { CLOUDMAP_REGISTRY: path }
    const run = (...args: string[]) => {
      const r = runCli(args, env)
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      return r.stdout
    }

    const created = JSON.parse(run('create-public-dns-namespace', '--name', 'myapp.com'))
    expect(created.OperationId).toMatch(/^[a-z0-9]{32}-[a-z0-9]{8}$/)
    const op = JSON.parse(run('get-operation', '--operation-id', created.OperationId)).Operation
    expect(op).toMatchObject({ Type: 'CREATE_NAMESPACE', Status: 'SUCCESS' })
    const nsId: string = op.Targets.NAMESPACE
    expect(nsId).toMatch(/^ns-[a-z0-9]{16}$/)

    const service = JSON.parse(run('create-service', '--name', 'frontend', '--namespace-id', nsId)).Service
    expect(service.Id).toMatch(/^srv-[a-z0-9]{16}$/)

    run('register-instance', '--service-id', service.Id, '--instance-id', '1', '--attributes', 'AWS_INSTANCE_IPV4=54.20.10.1,stage=beta,version=1.0,active=yes')
    run('register-instance', '--service-id', service.Id, '--instance-id', '2', '--attributes', 'AWS_INSTANCE_IPV4=54.20.10.2,stage=beta,version=2.0,active=no')

    const discovered = run('discover-instances', '--namespace-name', 'myapp.com', '--service-name', 'frontend', '--query-parameters', 'version=1.0,active=yes')
    expect(discovered).toBe(`{
    "Instances": [
        {
            "InstanceId": "1",
            "NamespaceName": "myapp.com",
            "ServiceName": "frontend",
            "HealthStatus": "UNKNOWN",
            "Attributes": {
                "AWS_INSTANCE_IPV4": "54.20.10.1",
                "stage": "beta",
                "version": "1.0",
                "active": "yes"
            }
        }
    ],
    "InstancesRevision": 2
}
`)
    // The registry file holds what was made, for the next command.
    expect(existsSync(path)).toBe(true)
    expect(run('list-instances', '--service-id', service.Id, '--query', 'Instances[].Id', '--output', 'text')).toBe('1\t2\n')
  })
})
