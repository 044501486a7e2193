// `cloudmap serve --dns-port` under load (issue 12, item 5), beside a bare UDP echo server (the floor:
// Node's dgram and the loopback, no DNS work) measured in the same run, rounds interleaved. Load comes
// from dnsperf (Debian package `dnsperf`). Runnable alone: `npm run bench:dns` (scripts/bench.mjs --only dns).
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpuSeconds } from './proc.mjs'

/** The speed goal of serve's DNS face: A queries over UDP. */
const GOAL_QPS = 20_000
const GOAL_P99_MS = 2

/** A UDP server that sends each packet back with the QR bit set: what answering costs without DNS (same 1 MiB receive buffer as serve). */
const ECHO_SERVER = `const s = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 1 << 20 })
s.on('message', (m, r) => { m[2] |= 0x80; s.send(m, r.port, r.address) })
s.bind(0, '127.0.0.1', () => console.log('ECHO ' + s.address().port))`

/** "dnsperf 2.10.0", or why there is none. */
export function dnsperfVersion(dnsperf) {
  if (!dnsperf) return 'dnsperf not installed'
  const r = spawnSync(dnsperf, ['-h'], { encoding: 'utf8' })
  const version = /Version ([\d.]+)/.exec(`${r.stdout}${r.stderr}`)?.[1]
  return version ? `dnsperf ${version}` : 'dnsperf'
}

/** Start a server process and read its port from what it prints. */
async function startChild(kit, argv, pattern) {
  const child = spawn(argv[0], argv.slice(1), { env: kit.env, stdio: ['ignore', 'pipe', 'pipe'] })
  kit.children.push(child)
  const port = await new Promise((resolve, reject) => {
    let text = ''
    const look = (d) => {
      text += d
      const m = pattern.exec(text)
      if (m) resolve(Number(m[1]))
    }
    child.stdout.setEncoding('utf8').on('data', look)
    child.stderr.setEncoding('utf8').on('data', look)
    child.once('exit', (code) => reject(new Error(`${argv.join(' ')} exited ${code}: ${text}`)))
    setTimeout(() => reject(new Error(`${argv.join(' ')} did not print its port`)), 30_000)
  })
  return { port, pid: child.pid, stop: () => child.kill('SIGTERM') }
}

/** CPU time a process has used, in microseconds; undefined where there is no /proc. */
function cpuMicros(pid) {
  const seconds = cpuSeconds(pid)
  return seconds === undefined ? undefined : seconds * 1_000_000
}

/**
 * One dnsperf run against 127.0.0.1:port for `seconds`: queries/s and lost queries; with `qps` it sends at
 * that rate and reports every answer's latency (-v), so percentiles come from all of them (lost ones last).
 */
function dnsperf(kit, port, queries, seconds, qps) {
  const argv = ['-s', '127.0.0.1', '-p', String(port), '-d', queries, '-l', String(seconds), '-c', '1', '-t', '1']
  if (qps) argv.push('-Q', String(qps), '-q', '500', '-v')
  else argv.push('-q', '64')
  const r = spawnSync(kit.dnsperf, argv, { encoding: 'utf8', maxBuffer: 256 << 20 })
  if (r.status !== 0) throw new Error(`dnsperf exited ${r.status}: ${r.stderr}`)
  const number = (label) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(r.stdout)?.[1])
  const lost = number('Queries lost')
  // A lost query (no answer within dnsperf's 1 s timeout) counts as slower than every answered one: left
  // out, a server that drops queries under load would show a better tail than one that answers them late.
  const latencies = qps ? [...r.stdout.matchAll(/^> \S+ \S+ \S+ ([\d.]+)$/gm)].map((m) => Number(m[1]) * 1000).concat(Array(lost).fill(Infinity)).sort((a, b) => a - b) : []
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] : NaN)
  return { qps: number('Queries per second'), lost, p50: pct(50), p99: pct(99) }
}

/**
 * The DNS section: prints its table and returns the goal row (undefined without dnsperf).
 * kit: { print, table, median, work, children, bin, env, dnsperf, quick }.
 */
export async function benchDns(kit) {
  const { print, table, median } = kit
  print('## DNS: `cloudmap serve --dns-port` vs a bare UDP echo server')
  print()
  if (!kit.dnsperf) {
    print('dnsperf is not installed (apt-get install dnsperf): no DNS figures.')
    print()
    return undefined
  }
  const dir = join(kit.work, 'dns')
  mkdirSync(dir, { recursive: true })
  const registry = join(dir, 'registry.json')
  const { LocalRegistry } = await import('../dist/backends/local/local-registry.js')
  const local = new LocalRegistry({ path: registry, region: 'us-east-1', accountId: '123456789012' })
  const created = await local.invoke('CreatePrivateDnsNamespace', { Name: 'bench.internal', Vpc: 'vpc-bench' })
  const ns = (await local.invoke('GetOperation', { OperationId: created.OperationId })).Operation.Targets.NAMESPACE
  const srv = (await local.invoke('CreateService', { Name: 'web', NamespaceId: ns, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] } })).Service.Id
  // Ten instances: every answer is a random choice of eight (MULTIVALUE's most), the most work an A query makes.
  for (let i = 1; i <= 10; i++) await local.invoke('RegisterInstance', { ServiceId: srv, InstanceId: `web-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}` } })
  await local.close()
  const queries = join(dir, 'queries.txt')
  writeFileSync(queries, 'web.bench.internal A\n'.repeat(100))

  const serve = await startChild(kit, ['node', kit.bin, 'serve', '--port', '0', '--dns-port', '0', '--registry', registry], /DNS: 127\.0\.0\.1:(\d+)/)
  const echo = await startChild(kit, ['node', '-e', ECHO_SERVER], /ECHO (\d+)/)
  const seconds = kit.quick ? 2 : 5
  const rounds = kit.quick ? 1 : 3
  const runs = { serve: { max: [], paced: [] }, echo: { max: [], paced: [] } }
  // Warm-up: the first queries are answered before the JIT has compiled the path.
  for (const target of [serve, echo]) dnsperf(kit, target.port, queries, 2)
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of [['echo', echo], ['serve', serve]]) {
      // CPU per answer: what the server costs whatever else the machine is running.
      const before = cpuMicros(target.pid)
      const max = dnsperf(kit, target.port, queries, seconds)
      const after = cpuMicros(target.pid)
      max.cpu = before === undefined || after === undefined ? NaN : (after - before) / (max.qps * seconds)
      runs[name].max.push(max)
      runs[name].paced.push(dnsperf(kit, target.port, queries, seconds, GOAL_QPS))
    }
  }
  serve.stop()
  echo.stop()
  const med = (list, key) => median(list.map((r) => r[key]))
  const figures = Object.fromEntries(
    Object.entries(runs).map(([name, r]) => [name, { max: med(r.max, 'qps'), cpu: med(r.max, 'cpu'), lost: Math.max(...r.max.map((x) => x.lost)) + Math.max(...r.paced.map((x) => x.lost)), paced: med(r.paced, 'qps'), p50: med(r.paced, 'p50'), p99: med(r.paced, 'p99') }]),
  )
  const ms = (x) => `${x.toFixed(2)} ms`
  const row = (label, f) => [label, f.max.toFixed(0), Number.isNaN(f.cpu) ? 'n/a' : `${f.cpu.toFixed(1)} µs`, f.paced.toFixed(0), ms(f.p50), ms(f.p99), String(f.lost)]
  print(`dnsperf over UDP on 127.0.0.1, one A query (\`web.bench.internal\`, 10 instances, 8 answered at random), ${rounds} round(s) of ${seconds} s per figure, medians:`)
  print(`as fast as it answers (64 queries in flight; the server's CPU time per query, from /proc), and paced at`)
  print(`${GOAL_QPS.toLocaleString('en')} queries/s with every answer's latency. 1 / (CPU per query) is the rate one free core would give.`)
  print()
  table(['server', 'max queries/s', 'CPU per query', `at ${GOAL_QPS / 1000}k/s: answered/s`, 'p50', 'p99', 'lost'], [row('cloudmap serve --dns-port', figures.serve), row('bare UDP echo (node:dgram)', figures.echo)])
  const met = figures.serve.max >= GOAL_QPS && figures.serve.paced >= GOAL_QPS * 0.98 && figures.serve.p99 <= GOAL_P99_MS
  return {
    row: ['DNS A queries over UDP (serve --dns-port)', `≥ ${GOAL_QPS.toLocaleString('en')}/s, p99 ≤ ${GOAL_P99_MS} ms`, `${figures.serve.max.toFixed(0)}/s max (${figures.serve.cpu.toFixed(1)} µs CPU per query); p99 ${ms(figures.serve.p99)} at ${GOAL_QPS / 1000}k/s (echo: ${figures.echo.max.toFixed(0)}/s, ${ms(figures.echo.p99)})`, met ? 'yes' : 'no'],
  }
}
