// The 30-operation servicediscovery model for /usr/bin/aws (Debian's AWS CLI ships an older one), taken
// from the Python botocore on this machine and given to the AWS CLI through AWS_DATA_PATH. The copy drops
// each operation's endpoint host prefix: the AWS CLI would otherwise send DiscoverInstances to
// `data-<host>`, which a local endpoint (127.0.0.1, moto_server, cloudmap serve) does not answer, and no
// host file entry is needed anywhere. Shared by test/interop, test/serve/auth-cli (with the AWS CLI's own
// model) and the recording scripts.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/**
 * Writes the model copy into a new folder inside `parent` (the caller removes it) and returns that folder
 * (the AWS_DATA_PATH value), or undefined when there is no model to copy. `source`: a model folder
 * (service-2.json or service-2.json.gz, and paginators), by default the Python botocore's.
 */
export function ensureAwsModels(parent = tmpdir(), source = botocoreModel()) {
  if (source === undefined) return undefined
  const base = mkdtempSync(join(parent, 'cloudmap-aws-models-'))
  const dir = join(base, 'servicediscovery', '2017-03-14')
  mkdirSync(dir, { recursive: true })
  const plain = join(source, 'service-2.json')
  const model = JSON.parse(existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8'))
  for (const operation of Object.values(model.operations)) delete operation.endpoint
  writeFileSync(join(dir, 'service-2.json'), JSON.stringify(model))
  for (const f of readdirSync(source)) if (f.startsWith('paginators-1')) copyFileSync(join(source, f), join(dir, f))
  return base
}

/** The servicediscovery model folder of the Python botocore on this machine, if there is one. */
function botocoreModel() {
  const r = spawnSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  const src = join(r.stdout.trim(), 'data', 'servicediscovery', '2017-03-14')
  return existsSync(join(src, 'service-2.json.gz')) ? src : undefined
}
