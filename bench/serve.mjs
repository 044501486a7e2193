// `cloudmap serve` under load, beside a bare node:http server and moto_server measured in the same run
// (issue 10, item 4). Load comes from wrk (Debian package `wrk`): 4 connections, keep-alive, 3 rounds of
// 5 s per figure, the servers in turn in each round; medians. Signed requests are signed once a round
// (SigV4 with @smithy/signature-v4): AWS accepts a signature for its whole validity window, so wrk may
// replay it.
import { spawn, spawnSync } from 'node:child_process'
import { Sha256 } from '@aws-crypto/sha256-js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SignatureV4 } from '@smithy/signature-v4'
import { ServiceDiscoveryClient, CreateHttpNamespaceCommand, CreateServiceCommand, GetOperationCommand, RegisterInstanceCommand } from '@aws-sdk/client-servicediscovery'

const TARGET = 'Route53AutoNaming_v20170314'
const REGION = 'us-east-1'
export const BENCH_KEY = { accessKeyId: 'AKIDBENCHSERVE0000001', secretAccessKey: 'bench-secret-access-key-0000000000000000' }

/** Headers of a JSON 1.1 call, signed with `key` when given (any signature is fine for moto and open serves). */
async function headersFor(url, op, body, key = BENCH_KEY) {
  const { host } = new URL(url)
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${op}`, host }
  const signer = new SignatureV4({ credentials: key, region: REGION, service: 'servicediscovery', sha256: Sha256, applyChecksum: false })
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: host.split(':')[0], port: Number(host.split(':')[1]), path: '/', query: {}, headers, body })
  return signed.headers
}

function client(url, key = BENCH_KEY) {
  return new ServiceDiscoveryClient({ endpoint: url, region: REGION, credentials: key, disableHostPrefix: true, maxAttempts: 1 })
}

/**
 * Namespace `bench` with service `web` (`instances` instances, which DiscoverInstances finds) and service
 * `writes` (where RegisterInstance is measured, so that the rounds' registrations don't grow what
 * DiscoverInstances answers), through the AWS SDK. Returns the id of `writes`.
 */
async function seed(url, instances, key) {
  const sd = client(url, key)
  const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: 'bench' }))
  const ns = (await sd.send(new GetOperationCommand({ OperationId }))).Operation.Targets.NAMESPACE
  const srv = (await sd.send(new CreateServiceCommand({ Name: 'web', NamespaceId: ns }))).Service.Id
  for (let i = 0; i < instances; i++) await sd.send(new RegisterInstanceCommand({ ServiceId: srv, InstanceId: `i-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}` } }))
  const writes = (await sd.send(new CreateServiceCommand({ Name: 'writes', NamespaceId: ns }))).Service.Id
  sd.destroy()
  return writes
}

function lua(headers, body, registerFor) {
  const lines = ['wrk.method = "POST"']
  for (const [k, v] of Object.entries(headers)) if (k !== 'host') lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  if (registerFor) {
    // Registrations of 500 instance ids in turn: every one is a full, durable write with its operation.
    const body = (id) => `'{"ServiceId":"${registerFor}","InstanceId":"r-' .. ${id} .. '","Attributes":{"AWS_INSTANCE_IPV4":"10.1.1.1"}}'`
    lines.push('counter = 0', 'request = function()', '  counter = counter + 1', `  return wrk.format(nil, nil, nil, ${body('(counter % 500)')})`, 'end')
  } else {
    lines.push(`wrk.body = ${JSON.stringify(body)}`)
  }
  return `${lines.join('\n')}\n`
}

const UNITS = { us: 0.001, ms: 1, s: 1000 }

/** wrk's rate and 99th percentile latency (ms); non-2xx answers count as a failed measurement. */
function wrk(url, script, seconds) {
  const r = spawnSync('wrk', ['-t1', '-c4', `-d${seconds}s`, '--latency', '-s', script, `${url}/`], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`)
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)
  if (bad) throw new Error(`wrk: ${bad[1]} error answers from ${url}:\n${r.stdout}`)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)[1])
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout)
  return { rps, p99: Number(p99[1]) * UNITS[p99[2]] }
}

const FLOOR = 'floor: body, SigV4 check, registry stat; prepared answer'
const FLOOR_UNSIGNED = 'floor without the SigV4 check'

const BARE = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { const b = '{"Instances":[],"InstancesRevision":1}'; s.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': b.length }); s.end(b) }) }).listen(Number(process.argv[1]), '127.0.0.1')`

/**
 * kit: { print, table, ratio, median, work, freePort, startServe(registry, args), startMoto(), children, seconds, quick }
 * Returns the goal rows.
 */
export async function benchServe(kit) {
  const { print, table, ratio, median, work, freePort, startServe, startMoto, children } = kit
  const seconds = kit.seconds ?? 5
  print('## `cloudmap serve` under load: bare node:http, serve, serve with access control, moto_server')
  print()
  if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) {
    print('wrk is not installed (apt-get install wrk): no serve measurements.')
    print()
    return []
  }
  const dir = join(work, 'serve-load')
  mkdirSync(dir, { recursive: true })
  const port = await freePort()
  const bare = spawn(process.execPath, ['-e', BARE, String(port)], { stdio: 'ignore' })
  children.push(bare)
  const targets = [{ name: 'bare node:http server', url: `http://127.0.0.1:${port}` }]
  // The ceiling: body, signature check, registry stat and a prepared answer (bench/floor-server.mjs).
  for (const [name, mode] of [
    [FLOOR, 'signed'],
    [FLOOR_UNSIGNED, 'unsigned'],
  ]) {
    const floorPort = await freePort()
    const floor = spawn(process.execPath, [fileURLToPath(new URL('./floor-server.mjs', import.meta.url)), String(floorPort), join(dir, `floor-${mode}.json`), BENCH_KEY.accessKeyId, BENCH_KEY.secretAccessKey, mode], { stdio: 'ignore' })
    children.push(floor)
    targets.push({ name, url: `http://127.0.0.1:${floorPort}` })
  }
  const open = await startServe(join(dir, 'open', 'registry.json'), [])
  targets.push({ name: 'cloudmap serve', url: open.url.replace(/\/$/, '') })
  const auth = await startServe(join(dir, 'auth', 'registry.json'), ['--auth', `${BENCH_KEY.accessKeyId}:${BENCH_KEY.secretAccessKey}`]).catch(() => undefined)
  if (auth) targets.push({ name: 'cloudmap serve, SigV4 + IAM on', url: auth.url.replace(/\/$/, ''), auth: true })
  const moto = kit.motoAvailable ? await startMoto() : undefined
  if (moto) targets.push({ name: 'moto_server', url: moto.url.replace(/\/$/, '') })
  await new Promise((resolve) => setTimeout(resolve, 500))

  // Every server is measured in each round, in turn: the machine's speed drifts, and a ratio of two figures
  // taken minutes apart would carry that drift. Each figure is the median of the rounds.
  const rounds = kit.quick ? 1 : 3
  const discoverBody = JSON.stringify({ NamespaceName: 'bench', ServiceName: 'web' })
  const scripts = []
  for (const [i, t] of targets.entries()) {
    const writes = t.name.startsWith('bare') || t.name.startsWith('floor') ? undefined : await seed(t.url, 10)
    const discover = join(dir, `${i}-discover.lua`)
    // The body changes per request, so the signature can't be replayed: registrations are measured unsigned
    // where the server allows it (an open serve, moto) and left out for the signed serve.
    let register
    if (writes && !t.auth) {
      register = join(dir, `${i}-register.lua`)
      writeFileSync(register, lua({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.RegisterInstance`, authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/servicediscovery/aws4_request, SignedHeaders=host, Signature=00' }, '', writes))
    }
    scripts.push({ discover, register, runs: { discover: [], register: [] } })
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const { discover, register, runs } = scripts[i]
      // Signed anew each round: a signature is good for 5 minutes from its date (serve's clock window).
      writeFileSync(discover, lua(await headersFor(t.url, 'DiscoverInstances', discoverBody), discoverBody))
      runs.discover.push(wrk(t.url, discover, seconds))
      if (register) runs.register.push(wrk(t.url, register, seconds))
    }
  }
  const medianOf = (runs) => (runs.length === 0 ? undefined : { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)) })
  const rows = []
  const results = {}
  for (const [i, t] of targets.entries()) {
    const discover = medianOf(scripts[i].runs.discover)
    const register = medianOf(scripts[i].runs.register)
    results[t.name] = { discover, register }
    rows.push([t.name, `${discover.rps.toFixed(0)}/s`, `${discover.p99.toFixed(2)} ms`, register ? `${register.rps.toFixed(0)}/s` : 'n/a', register ? `${register.p99.toFixed(1)} ms` : 'n/a'])
  }
  print(`wrk, 4 connections, keep-alive, ${rounds} round(s) of ${seconds} s per figure, every server in each round in turn; medians (the p99 too). DiscoverInstances finds a service of 10 instances; RegisterInstance re-registers 500 ids in turn in another service (each a durable write).`)
  print()
  table(['server', 'DiscoverInstances', 'p99', 'RegisterInstance', 'p99'], rows)

  // 100,000 instances (50 namespaces x 20 services x 100, the quotas' limits) through the AWS SDK, 16
  // clients; --quick loads a tenth (5 namespaces).
  const namespaces = kit.quick ? 5 : 50
  const total = namespaces * 2000
  let loadSeconds
  {
    const url = (await startServe(join(dir, 'load', 'registry.json'), auth ? ['--auth', `${BENCH_KEY.accessKeyId}:${BENCH_KEY.secretAccessKey}`] : [])).url.replace(/\/$/, '')
    const clients = Array.from({ length: 16 }, () => client(url))
    const started = process.hrtime.bigint()
    const clientCpu = process.cpuUsage()
    const services = []
    let nextNs = 0
    await Promise.all(
      clients.map(async (sd) => {
        while (nextNs < namespaces) {
          const n = nextNs++
          const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: `load-${n}` }))
          const ns = (await sd.send(new GetOperationCommand({ OperationId }))).Operation.Targets.NAMESPACE
          for (let s = 0; s < 20; s++) services.push((await sd.send(new CreateServiceCommand({ Name: `svc-${s}`, NamespaceId: ns }))).Service.Id)
        }
      }),
    )
    let next = 0
    await Promise.all(
      clients.map(async (sd) => {
        while (next < total) {
          const i = next++
          await sd.send(new RegisterInstanceCommand({ ServiceId: services[i % services.length], InstanceId: `i-${Math.floor(i / services.length)}`, Attributes: { AWS_INSTANCE_IPV4: '10.2.0.1' } }))
        }
      }),
    )
    loadSeconds = Number(process.hrtime.bigint() - started) / 1e9
    const { user, system } = process.cpuUsage(clientCpu)
    const calls = total + namespaces * 22
    for (const sd of clients) sd.destroy()
    print(`Loading ${total.toLocaleString('en-US')} instances (${namespaces * 20} services in ${namespaces} namespaces) through the AWS SDK with 16 clients${auth ? ', every request signed and checked' : ''}: ${loadSeconds.toFixed(1)} s.`)
    print()
    // The 16 clients share this process, so one core: their own CPU time is a floor under the load's time.
    print(`The clients themselves (one Node process, signing and parsing) used ${((user + system) / calls).toFixed(0)} µs of CPU per call: ${((user + system) / 1e6).toFixed(1)} s of one core for the load, whatever the server.`)
    print()
  }

  const bareRate = results['bare node:http server'].discover.rps
  const floorRate = results[FLOOR].discover.rps
  const perRequestUs = (rate) => 1e6 / rate
  const checkUs = perRequestUs(floorRate) - perRequestUs(results[FLOOR_UNSIGNED].discover.rps)
  const openUs = perRequestUs(results['cloudmap serve'].discover.rps)
  print(
    `The floor server does only what no server meeting these goals can skip: it reads the body, checks the signature with serve's verifier, stats the registry file (a CLI write is seen by the next request) and sends an answer prepared once; no JSON, IAM, handler or encoding. It reached ${((100 * floorRate) / bareRate).toFixed(0)}% of the bare server's rate${results['moto_server'] ? ` and ${ratio(floorRate, results['moto_server'].discover.rps)} moto_server's` : ''}: the most serve with access control on can reach on this machine.`,
  )
  print()
  // Access control costs at most 20% of the unsigned rate when it adds at most a quarter of the unsigned time per request.
  print(
    `Checking the signature alone adds ${checkUs.toFixed(1)} µs per request to the floor server (its rates with and without the check); serve answers an unsigned DiscoverInstances in ${openUs.toFixed(1)} µs, so access control fits in 20% of serve's rate only if it adds at most ${(openUs / 4).toFixed(1)} µs, policy evaluation included.`,
  )
  print()
  const measured = results['cloudmap serve, SigV4 + IAM on'] ?? results['cloudmap serve']
  const openRate = results['cloudmap serve'].discover.rps
  const motoR = results['moto_server']
  const goals = [
    ['serve DiscoverInstances vs bare node:http', '≥ 50%', `${((100 * measured.discover.rps) / bareRate).toFixed(0)}%`, measured.discover.rps >= bareRate / 2 ? 'yes' : 'no'],
    ['serve DiscoverInstances p99', '≤ 5 ms', `${measured.discover.p99.toFixed(2)} ms`, measured.discover.p99 <= 5 ? 'yes' : 'no'],
  ]
  if (motoR) {
    goals.push(['serve DiscoverInstances vs moto_server', '≥ 50x', ratio(measured.discover.rps, motoR.discover.rps), measured.discover.rps >= 50 * motoR.discover.rps ? 'yes' : 'no'])
    const reg = results['cloudmap serve'].register
    goals.push(['serve RegisterInstance vs moto_server (durable)', '≥ 3x', ratio(reg.rps, motoR.register.rps), reg.rps >= 3 * motoR.register.rps ? 'yes' : 'no'])
  }
  if (results['cloudmap serve, SigV4 + IAM on']) {
    const cost = 1 - results['cloudmap serve, SigV4 + IAM on'].discover.rps / openRate
    goals.push(['cost of SigV4 + IAM on DiscoverInstances', '≤ 20%', `${(100 * cost).toFixed(0)}%`, cost <= 0.2 ? 'yes' : 'no'])
  }
  if (loadSeconds !== undefined) goals.push([`${total.toLocaleString('en-US')} instances through the SDK, 16 clients`, kit.quick ? '< 6 s (a tenth of the goal)' : '< 60 s', `${loadSeconds.toFixed(1)} s`, loadSeconds < (kit.quick ? 6 : 60) ? 'yes' : 'no'])
  return goals
}
