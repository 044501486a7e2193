// The 30-operation servicediscovery model for /usr/bin/aws (Debian's AWS CLI ships an older one), taken
// from the Python botocore on this machine and given to the AWS CLI through AWS_DATA_PATH. The copy drops
// each operation's endpoint host prefix: the AWS CLI would otherwise send DiscoverInstances to
// `data-<host>`, which a local endpoint (127.0.0.1, moto_server, cloudmap serve) does not answer, and no
// host file entry is needed anywhere. Shared by test/interop and the recording scripts.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/**
 * Writes the model copy into a new folder inside `parent` (the caller removes it) and returns that folder
 * (the AWS_DATA_PATH value), or undefined when Python botocore or its servicediscovery model is missing.
 */
export function ensureAwsModels(parent = tmpdir()) {
  const r = spawnSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  const src = join(r.stdout.trim(), 'data', 'servicediscovery', '2017-03-14')
  if (!existsSync(join(src, 'service-2.json.gz'))) return undefined
  const base = mkdtempSync(join(parent, 'cloudmap-aws-models-'))
  const dir = join(base, 'servicediscovery', '2017-03-14')
  mkdirSync(dir, { recursive: true })
  const model = JSON.parse(gunzipSync(readFileSync(join(src, 'service-2.json.gz'))).toString('utf8'))
  for (const operation of Object.values(model.operations)) delete operation.endpoint
  writeFileSync(join(dir, 'service-2.json'), JSON.stringify(model))
  for (const f of readdirSync(src)) if (f.startsWith('paginators-1')) copyFileSync(join(src, f), join(dir, f))
  return base
}
