#!/usr/bin/env node
// What access control costs serve: DiscoverInstances through `cloudmap serve` without keys, with --auth
// (full access), and with an --auth-file whose policy has conditions, 4 keep-alive connections each.
//
//   node bench/auth-cost.mjs [--seconds N]
//
// The request is signed once (AWS SDK signer) and sent as the same bytes again and again, so the client's
// work is equal in every configuration and the server checks the signature and the policy on each one.
// Needs a build (npm run build).
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import { cpuSeconds } from './proc.mjs'
import { ServiceDiscoveryClient, CreateHttpNamespaceCommand, CreateServiceCommand, RegisterInstanceCommand, ListNamespacesCommand } from '@aws-sdk/client-servicediscovery'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SECONDS = Number(process.argv.includes('--seconds') ? process.argv[process.argv.indexOf('--seconds') + 1] : 5)
const CONNECTIONS = 4

async function startServe(args, dir) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'serve', '--port', '0', ...args], {
    env: { ...process.env, CLOUDMAP_REGISTRY: join(dir, 'registry.json'), AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (d) => {
      text += d
      const m = /http:\/\/[\d.:]+/.exec(text)
      if (m) resolve(m[0])
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
  })
  return { url, pid: child.pid, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) }
}

async function signed(url, body, credentials) {
  const { hostname, port } = new URL(url)
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Route53AutoNaming_v20170314.DiscoverInstances' },
    body,
  }
  if (!credentials) return request.headers
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'servicediscovery', sha256: Sha256, applyChecksum: false })
  return (await signer.sign(request)).headers
}


async function load(url, headers, body, pid) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const { hostname, port } = new URL(url)
  const end = Date.now() + SECONDS * 1000
  let done = 0
  let failed = 0
  const latencies = []
  const one = () =>
    new Promise((resolve) => {
      const started = performance.now()
      const req = http.request({ hostname, port, method: 'POST', path: '/', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === 200) done++
          else failed++
          latencies.push(performance.now() - started)
          resolve()
        })
      })
      req.end(body)
    })
  const started = Date.now()
  const cpuBefore = cpuSeconds(pid)
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < end) await one()
  }))
  const cpu = cpuSeconds(pid) - cpuBefore
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return { rate: done / ((Date.now() - started) / 1000), cpuMicros: (cpu * 1e6) / (done + failed), failed, p99: latencies[Math.floor(latencies.length * 0.99)] }
}

const dir = mkdtempSync(join(tmpdir(), 'cloudmap-auth-bench-'))
const authFile = join(dir, 'auth.yaml')
writeFileSync(
  authFile,
  `users:
  - name: discoverer
    keys: [{ id: BENCHPOLICY, secret: bench-policy-secret }]
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["servicediscovery:DiscoverInstances*", "servicediscovery:Get*"]
            Resource: "*"
            Condition:
              StringEquals: { "servicediscovery:NamespaceName": ["bench", "other"] }
              StringLikeIfExists: { "aws:ResourceTag/env": "b*" }
          - Effect: Deny
            Action: "servicediscovery:DiscoverInstances"
            Resource: "arn:aws:servicediscovery:*:*:namespace/ns-never*"
`,
)
const full = { accessKeyId: 'BENCHFULL', secretAccessKey: 'bench-full-secret' }
const policy = { accessKeyId: 'BENCHPOLICY', secretAccessKey: 'bench-policy-secret' }

// Data, made through the first (full-access) serve; the others read the same registry.
const setup = await startServe(['--auth', `${full.accessKeyId}:${full.secretAccessKey}`], dir)
const client = new ServiceDiscoveryClient({ endpoint: setup.url, region: 'us-east-1', credentials: full })
await client.send(new CreateHttpNamespaceCommand({ Name: 'bench', Tags: [{ Key: 'env', Value: 'bench' }] }))
const ns = (await client.send(new ListNamespacesCommand({}))).Namespaces.find((n) => n.Name === 'bench')
const srv = (await client.send(new CreateServiceCommand({ Name: 'web', NamespaceId: ns.Id }))).Service
for (let i = 0; i < 10; i++) await client.send(new RegisterInstanceCommand({ ServiceId: srv.Id, InstanceId: `i-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}` } }))
client.destroy()
await setup.stop()

const body = JSON.stringify({ NamespaceName: 'bench', ServiceName: 'web' })
const configurations = [
  { name: 'no keys (unauthenticated)', args: [], credentials: undefined },
  { name: '--auth (SigV4 + full-access policy)', args: ['--auth', `${full.accessKeyId}:${full.secretAccessKey}`], credentials: full },
  { name: '--auth-file (SigV4 + conditions, tags, deny)', args: ['--auth-file', authFile], credentials: policy },
]
const ROUNDS = 3
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const servers = []
for (const c of configurations) {
  const serve = await startServe(c.args, dir)
  servers.push({ ...c, serve, headers: await signed(serve.url, body, c.credentials), runs: [] })
}
for (const s of servers) await load(s.serve.url, s.headers, body, s.serve.pid) // warm-up
// Rounds alternate the configurations, so a busy machine weighs on each alike.
for (let round = 0; round < ROUNDS; round++) for (const s of servers) s.runs.push(await load(s.serve.url, s.headers, body, s.serve.pid))
for (const s of servers) await s.serve.stop()
const results = servers.map((s) => ({ name: s.name, rate: median(s.runs.map((r) => r.rate)), cpu: median(s.runs.map((r) => r.cpuMicros)), p99: median(s.runs.map((r) => r.p99)), failed: s.runs.reduce((n, r) => n + r.failed, 0) }))
const base = results[0]
console.log(`DiscoverInstances, ${CONNECTIONS} connections, keep-alive, medians of ${ROUNDS} runs of ${SECONDS} s:`)
for (const r of results) {
  const cost = r === base ? '' : `  cost ${(100 * (1 - r.rate / base.rate)).toFixed(1)}% of the rate, ${(100 * (1 - base.cpu / r.cpu)).toFixed(1)}% by server CPU`
  console.log(`  ${r.name.padEnd(46)} ${r.rate.toFixed(0).padStart(6)} req/s  ${r.cpu.toFixed(0).padStart(4)} µs CPU/req  p99 ${r.p99.toFixed(2)} ms${cost}${r.failed ? `  (${r.failed} failed!)` : ''}`)
}
