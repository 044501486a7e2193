import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { RemoteRegistry } from '../../src/backends/remote/remote-registry.js'
import type { Settings } from '../../src/cli/settings.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { HAS_MOTO, type Moto, startMoto } from '../helpers/moto.js'
import { needs } from '../helpers/needs.js'

/**
 * The contract suite against moto_server (an independent mock of AWS) through the remote backend.
 * Where moto_server departs from AWS Cloud Map's documented behaviour, the case runs as an expected failure
 * with its reason and the failure it shows (moto-departures.json, recorded by
 * scripts/record-moto-departures.mjs, which names the reasons): a case that starts to pass on moto, or
 * fails for another reason, fails here. The local registry follows AWS on all of them.
 */
const RECORDING = process.env.MOTO_RECORD === '1'
const DEPARTURES = new Map(
  (RECORDING ? [] : (JSON.parse(readFileSync(join(import.meta.dirname, 'moto-departures.json'), 'utf8')) as { title: string; reason: string; failure: string }[])).map(
    (d) => [d.title, { reason: d.reason, failure: new RegExp(d.failure) }] as const,
  ),
)

let moto: Moto | undefined

beforeAll(async () => {
  if (HAS_MOTO) moto = await startMoto()
}, 60_000)

afterAll(async () => {
  await moto?.stop()
})

describe.skipIf(!needs('moto_server', HAS_MOTO, 'pip install "moto[server]"'))('moto_server', () => {
describeRegistryContract(
  'remote (moto_server)',
  async () => {
    await moto!.reset()
    const settings = { endpointUrl: moto!.url, region: 'us-east-1', regionGiven: true, accountId: '123456789012', noSignRequest: false } as Settings
    process.env.AWS_ACCESS_KEY_ID = 'test'
    process.env.AWS_SECRET_ACCESS_KEY = 'test'
    return {
      registry: new RemoteRegistry(settings),
      // MOTO_RECORD=1: every case as if moto followed AWS (scripts/record-moto-departures.mjs).
      departure: (title: string) => DEPARTURES.get(title),
    }
  },
)
})
