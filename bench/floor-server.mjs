// The least a server can do per DiscoverInstances and still do what issue 10 asks of serve with access
// control on: read the request's body, check its SigV4 signature (serve's own verifier), stat the
// registry file (so that a CLI write is seen by the next request), and answer. Its answer is prepared
// once: no JSON parsing, no IAM policy, no handler, no encoding. Measured beside the bare server, it is
// the ceiling of serve's rate on the machine the bench runs on.
//
//   node bench/floor-server.mjs PORT REGISTRY_FILE ACCESS_KEY_ID SECRET [unsigned]
//
// `unsigned` skips the signature check: the two rates give what checking signatures costs by itself.
import { randomUUID } from 'node:crypto'
import { statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { SignatureVerifier } from '../dist/serve/auth/sigv4.js'

const [port, registryFile, accessKeyId, secretAccessKey, mode] = process.argv.slice(2)
writeFileSync(registryFile, '{}\n')
const key = { accessKeyId, secretAccessKey }
const verifier = new SignatureVerifier({ region: 'us-east-1', now: () => new Date(), key: (id) => (id === accessKeyId ? key : undefined) })

// What serve answers for the bench's registry: 10 instances of bench/web.
const instance = (i) => ({ InstanceId: `i-${i}`, NamespaceName: 'bench', ServiceName: 'web', HealthStatus: 'UNKNOWN', Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}` } })
const answer = Buffer.from(JSON.stringify({ Instances: Array.from({ length: 10 }, (_, i) => instance(i)), InstancesRevision: 11 }))

createServer((request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', async () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
    const signer = mode === 'unsigned' ? key : await verifier.verify({ method: request.method, url: request.url, headers: request.headers, body })
    statSync(registryFile, { bigint: true })
    const [status, text] = 'status' in signer ? [signer.status, Buffer.from(JSON.stringify({ __type: signer.type, message: signer.message }))] : [200, answer]
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': text.length, 'x-amzn-RequestId': randomUUID() })
    response.end(text)
  })
}).listen(Number(port), '127.0.0.1')
