#!/usr/bin/env node
// npm run bench: cloudmap's speed goals, measured side by side in one run on this machine.
//
//   node scripts/bench.mjs [--runs N] [--quick] [--write FILE] [--keep] [--only serve|dns|apply|ui|health|runwatch]
//
//   --runs N      timed runs per command (default 15); medians are reported
//   --quick       smaller registries (1k/10k instead of 10k/100k) and fewer runs: a smoke test
//   --write FILE  also write the results as Markdown (bench/RESULTS.md for the README)
//   --keep        keep the generated registries (their folder is printed)
//   --only serve  only `cloudmap serve` under load (needs wrk)
//   --only dns    only the DNS section (serve --dns-port beside a bare UDP echo server, with dnsperf)
//   --only ui     only the dashboard's cost to the API (serve with --no-ui, the dashboard on, a page connected)
//   --only health only the health-check measurement (DiscoverInstances with and without 200 instances
//                 probed every second); the full run includes it too
//   --only apply  only the registry-as-code measurement: `cloudmap apply` of 10,000 instances
//   --only runwatch  only the cloudmap run / watch latencies
//
// Needs a build (npm run build). Uses /usr/bin/aws and moto_server when present, and says so when not.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'node:net'
import { generate } from '../bench/generate.mjs'
import { ensureAwsModels } from './aws-models.mjs'
import { benchServe } from '../bench/serve.mjs'
import { benchDns, dnsperfVersion } from '../bench/dns.mjs'
import { cpuSeconds } from '../bench/proc.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'bin', 'run.js')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const QUICK = flag('--quick')
/** --only serve | dns | apply: one section alone (serve under load, DNS, registry as code). */
const ONLY = option('--only', undefined)
const RUNS = Number(option('--runs', QUICK ? 5 : 15))
const WRITE = option('--write', undefined)
const PARALLEL = QUICK ? 20 : 50
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined
const MOTO = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim() || undefined
const DNSPERF = spawnSync('sh', ['-c', 'command -v dnsperf'], { encoding: 'utf8' }).stdout.trim() || undefined

if (!existsSync(join(ROOT, 'dist', 'cli', 'fast-path.js'))) {
  console.error('bench: no build found; run npm run build first.')
  process.exit(1)
}

const work = mkdtempSync(join(tmpdir(), 'cloudmap-bench-'))
const home = join(work, 'home')
mkdirSync(home)
const out = []
/** Servers to stop however the run ends. */
const children = []
const print = (line = '') => {
  out.push(line)
  console.log(line)
}

// ---------------------------------------------------------------------------------------------------
// Measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function baseEnv(extra = {}) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CLOUDMAP_')) env[k] = v
  return { ...env, HOME: home, TZ: 'UTC', ...extra }
}

/** Run a command once: wall time in ms, max RSS in MB (when /usr/bin/time is there), exit status. */
function runOnce(argv, env) {
  const cmd = TIME ? [TIME, '-f', '@@rss %M', ...argv] : argv
  const started = process.hrtime.bigint()
  const r = spawnSync(cmd[0], cmd.slice(1), { env, encoding: 'utf8', maxBuffer: 64 << 20 })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const m = /@@rss (\d+)/.exec(r.stderr ?? '')
  const stderr = (r.stderr ?? '').replace(/@@rss \d+\n?/, '')
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${stderr}`)
  return { ms, rssMb: m ? Number(m[1]) / 1024 : undefined, stdout: r.stdout }
}

/**
 * Time several commands, interleaved run by run (so drift on the machine hits them alike). Each entry:
 * { key, argv, env, before?(i) } where before runs, untimed, ahead of run i. Returns key -> { ms, rssMb }.
 */
function measure(entries, runs = RUNS, warmup = 1) {
  const times = new Map(entries.map((e) => [e.key, []]))
  const rss = new Map(entries.map((e) => [e.key, []]))
  for (let i = -warmup; i < runs; i++) {
    for (const e of entries) {
      e.before?.(i)
      const r = runOnce(typeof e.argv === 'function' ? e.argv(i) : e.argv, e.env)
      if (i >= 0) {
        times.get(e.key).push(r.ms)
        if (r.rssMb !== undefined) rss.get(e.key).push(r.rssMb)
      }
    }
  }
  const result = {}
  for (const e of entries) result[e.key] = { ms: median(times.get(e.key)), rssMb: rss.get(e.key).length ? Math.max(...rss.get(e.key)) : undefined }
  return result
}

const fmt = (ms) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`
const ratio = (a, b) => `${(a / b).toFixed(2)}x`
const mb = (x) => (x === undefined ? 'n/a' : `${x.toFixed(0)} MB`)

function table(header, rows) {
  print(`| ${header.join(' | ')} |`)
  print(`|${header.map((h, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`)
  for (const row of rows) print(`| ${row.join(' | ')} |`)
  print()
}

const cloudmap = (registry, ...argv) => ({ argv: ['node', BIN, ...argv, '--output', 'json'], env: baseEnv({ CLOUDMAP_REGISTRY: registry }) })

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// JSON 1.1 client (serve and moto_server speak the same protocol)

const TARGET = 'Route53AutoNaming_v20170314'
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/servicediscovery/aws4_request, SignedHeaders=host, Signature=00'

async function call(url, op, body) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'x-amz-target': `${TARGET}.${op}`, 'content-type': 'application/x-amz-json-1.1', authorization: AUTH },
    body: JSON.stringify(body),
  })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`${op} on ${url}: HTTP ${r.status} ${text}`)
  return JSON.parse(text)
}

/** A namespace `bench` with service `web` and `instances` instances, made through the API. */
async function seedOverApi(url, instances) {
  const { OperationId } = await call(url, 'CreateHttpNamespace', { Name: 'bench' })
  const ns = (await call(url, 'GetOperation', { OperationId })).Operation.Targets.NAMESPACE
  const srv = (await call(url, 'CreateService', { Name: 'web', NamespaceId: ns })).Service.Id
  for (let i = 0; i < instances; i++) await call(url, 'RegisterInstance', { ServiceId: srv, InstanceId: `i-${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}` } })
  return { ns, srv }
}

/** Requests per second: `count` requests, `concurrency` in flight at a time (the health and dashboard measurements). */
async function rate(count, concurrency, request) {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await request(next++)
    }),
  )
  return count / (Number(process.hrtime.bigint() - started) / 1e9)
}

async function waitFor(url, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    try {
      await fetch(url, { method: 'POST', headers: { 'x-amz-target': `${TARGET}.ListNamespaces`, authorization: AUTH, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' })
      return
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

async function startMoto() {
  const port = await freePort()
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
  children.push(child)
  const url = `http://127.0.0.1:${port}/`
  await waitFor(url)
  return { url, stop: () => child.kill('SIGTERM') }
}

async function startServe(registry, extra = []) {
  const child = spawn('node', [BIN, 'serve', '--port', '0', '--registry', registry, ...extra], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const url = await new Promise((resolve, reject) => {
    let text = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      text += d
      const m = /(http:\/\/[^\s/]+\/)/.exec(text)
      if (m) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
    setTimeout(() => reject(new Error('serve did not print its address')), 30_000)
  })
  await waitFor(url)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

// ---------------------------------------------------------------------------------------------------
// Health checks: serve probing 200 instances every second while a DiscoverInstances load runs.

/**
 * An HTTP endpoint in its own process (so its work is not charged to the load generator): answers 200
 * to every probe, and `GET /count` with the number of probes so far.
 */
async function startProbeTarget() {
  const code = `
    let probes = 0
    require('node:http').createServer((req, res) => {
      if (req.url === '/count') return res.end(String(probes))
      probes++
      res.end('ok')
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`
  const child = spawn('node', ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const port = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (d) => resolve(Number(d.trim())))
    child.once('exit', (code) => reject(new Error(`probe target exited ${code}`)))
  })
  return { port, count: async () => Number(await (await fetch(`http://127.0.0.1:${port}/count`)).text()), stop: () => child.kill('SIGTERM') }
}

/**
 * The dashboard's cost to the API: serve with `--no-ui`, with the dashboard on and no page open (the
 * default), and with a page's change stream connected (every write then refreshes the live view and is
 * announced on the stream). The page's own re-reads are API calls like any other client's and not counted.
 */
async function benchUi() {
  const REQUESTS = QUICK ? 600 : 2000
  const WRITES = QUICK ? 200 : 600
  const ROUNDS = QUICK ? 1 : 3
  print('## The dashboard: API request rates with it off, on, and with a page connected')
  print()
  const registry = join(work, 'ui', 'registry.json')
  let srv
  {
    const serve = await startServe(registry, ['--no-ui', '--no-health-checks'])
    srv = (await seedOverApi(serve.url, 10)).srv
    await serve.stop()
  }
  const modes = { off: ['--no-ui'], on: [], page: [] }
  const rates = { off: { discover: [], register: [] }, on: { discover: [], register: [] }, page: { discover: [], register: [] } }
  let events = 0
  let written = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, flags] of Object.entries(modes)) {
      const serve = await startServe(registry, ['--no-health-checks', ...flags])
      const stream = new AbortController()
      let seen = 0
      if (mode === 'page') {
        const response = await fetch(`${serve.url}ui/events`, { signal: stream.signal })
        void (async () => {
          const decoder = new TextDecoder()
          try {
            for await (const chunk of response.body) seen += (decoder.decode(chunk).match(/event: change/g) ?? []).length
          } catch {
            // aborted at the end of the round
          }
        })()
      }
      await rate(200, 8, () => call(serve.url, 'DiscoverInstances', { NamespaceName: 'bench', ServiceName: 'web' })) // warm-up
      rates[mode].discover.push(await rate(REQUESTS, 8, () => call(serve.url, 'DiscoverInstances', { NamespaceName: 'bench', ServiceName: 'web' })))
      // Re-registering updates an instance (a write like any other) and keeps within Cloud Map's 1000-instance quota.
      const base = written++
      rates[mode].register.push(await rate(WRITES, 8, (i) => call(serve.url, 'RegisterInstance', { ServiceId: srv, InstanceId: `u-${i % 100}`, Attributes: { AWS_INSTANCE_IPV4: `10.2.${base % 250}.1` } })))
      if (mode === 'page') {
        await new Promise((r) => setTimeout(r, 200))
        events = Math.max(events, seen)
      }
      stream.abort()
      await serve.stop()
    }
  }
  const m = (mode, op) => median(rates[mode][op])
  print(`${REQUESTS} DiscoverInstances and ${WRITES} RegisterInstance requests, 8 in flight, keep-alive; ${ROUNDS} round(s); medians. serve runs`)
  print('with `--no-health-checks`; "page connected" holds `/ui/events` open as a dashboard page does.')
  print()
  table(
    ['serve', 'DiscoverInstances', 'RegisterInstance'],
    [
      ['`--no-ui`', `${m('off', 'discover').toFixed(0)}/s`, `${m('off', 'register').toFixed(0)}/s`],
      ['dashboard on, no page (default)', `${m('on', 'discover').toFixed(0)}/s (${ratio(m('on', 'discover'), m('off', 'discover'))})`, `${m('on', 'register').toFixed(0)}/s (${ratio(m('on', 'register'), m('off', 'register'))})`],
      [`dashboard on, page connected (${events} change events)`, `${m('page', 'discover').toFixed(0)}/s (${ratio(m('page', 'discover'), m('off', 'discover'))})`, `${m('page', 'register').toFixed(0)}/s (${ratio(m('page', 'register'), m('off', 'register'))})`],
    ],
  )
  return { worst: Math.min(...['on', 'page'].flatMap((mode) => ['discover', 'register'].map((op) => m(mode, op) / m('off', op)))) }
}

async function benchHealth() {
  const INSTANCES = 200
  const REQUESTS = QUICK ? 1000 : 3000
  const ROUNDS = QUICK ? 1 : 3
  print(`## Health checks: DiscoverInstances while ${INSTANCES} instances are probed every second`)
  print()
  const target = await startProbeTarget()
  const registry = join(work, 'health', 'registry.json')
  let srv
  // The registry: an HTTP namespace, a service with a Route 53 HTTP health check, 200 instances (all at
  // the probe target's address), made through serve with health checks off.
  {
    const serve = await startServe(registry, ['--no-health-checks'])
    const { OperationId } = await call(serve.url, 'CreateHttpNamespace', { Name: 'bench' })
    const ns = (await call(serve.url, 'GetOperation', { OperationId })).Operation.Targets.NAMESPACE
    srv = (await call(serve.url, 'CreateService', { Name: 'web', NamespaceId: ns, HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/health', FailureThreshold: 3 } })).Service.Id
    await rate(INSTANCES, 8, (i) => call(serve.url, 'RegisterInstance', { ServiceId: srv, InstanceId: `i-${i}`, Attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(target.port) } }))
    await serve.stop()
  }
  const discover = (url) => call(url, 'DiscoverInstances', { NamespaceName: 'bench', ServiceName: 'web', HealthStatus: 'ALL', MaxResults: 10 })
  const rates = { off: [], on: [] }
  const probeRates = []
  let unhealthy = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['off', 'on']) {
      const serve = await startServe(registry, mode === 'on' ? ['--health-interval', '1'] : ['--no-health-checks'])
      await rate(200, 8, () => discover(serve.url)) // warm-up
      if (mode === 'on') {
        // Every instance probed at least once (the first probes are spread over the first second).
        const start = await target.count()
        const deadline = Date.now() + 30_000
        while ((await target.count()) - start < INSTANCES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      }
      const probesBefore = await target.count()
      const started = process.hrtime.bigint()
      rates[mode].push(await rate(REQUESTS, 8, () => discover(serve.url)))
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (mode === 'on') {
        probeRates.push(((await target.count()) - probesBefore) / seconds)
        const { Status: status } = await call(serve.url, 'GetInstancesHealthStatus', { ServiceId: srv })
        unhealthy = Math.max(unhealthy, Object.values(status).filter((s) => s !== 'HEALTHY').length)
      }
      await serve.stop()
    }
  }
  // What probing costs serve by itself: its CPU time over 10 s of probing and no requests (Linux /proc).
  let idleCpu
  {
    const serve = await startServe(registry, ['--health-interval', '1'])
    if (cpuSeconds(serve.pid) !== undefined) {
      await new Promise((r) => setTimeout(r, 3000))
      const before = cpuSeconds(serve.pid)
      await new Promise((r) => setTimeout(r, 10_000))
      idleCpu = (cpuSeconds(serve.pid) - before) / 10
    }
    await serve.stop()
  }
  target.stop()
  const off = median(rates.off)
  const on = median(rates.on)
  print(`${REQUESTS} DiscoverInstances requests (HealthStatus ALL, MaxResults 10), 8 in flight, keep-alive; ${ROUNDS} round(s) of serve`)
  print(`started without health checks, then with \`--health-interval 1\`; medians. The probe target runs in its own process.`)
  print()
  table(
    ['serve', 'DiscoverInstances', 'probes answered', 'instances not HEALTHY'],
    [
      ['`--no-health-checks`', `${off.toFixed(0)}/s`, '0/s', '-'],
      [`\`--health-interval 1\` (${INSTANCES} instances)`, `${on.toFixed(0)}/s (${ratio(on, off)})`, `${median(probeRates).toFixed(0)}/s`, String(unhealthy)],
    ],
  )
  print()
  print(`Probing alone (no requests) used ${idleCpu === undefined ? 'n/a (no /proc)' : `${(idleCpu * 100).toFixed(1)}% of one core`} in serve.`)
  return { off, on, probes: median(probeRates) }
}

/** What bench/dns.mjs needs from here. */
function dnsKit() {
  return { print, table, median, work, children, bin: BIN, env: baseEnv(), dnsperf: DNSPERF, quick: QUICK }
}

// Registry as code: `cloudmap apply` of a 10,000-instance document to an empty registry

const APPLY_INSTANCES = 10_000
const APPLY_RUNS = 3

/** The document: 5 namespaces x 20 services x 100 instances (instances per namespace are capped at 2,000). */
function applyDocument() {
  const Namespaces = {}
  for (let n = 0; n < 5; n++) {
    const Services = {}
    for (let s = 0; s < 20; s++) {
      const Instances = {}
      for (let i = 0; i < 100; i++) Instances[`i-${n}-${s}-${i}`] = { AWS_INSTANCE_IPV4: `10.${n}.${s}.${i}`, AWS_INSTANCE_PORT: '8080', stage: 'prod' }
      Services[`svc${s}`] = { Instances }
    }
    Namespaces[`ns${n}.example`] = { Type: 'HTTP', Services }
  }
  return { Namespaces }
}

/**
 * apply -f of the document to a fresh registry (median of APPLY_RUNS), checked by an export; beside it,
 * the anchor: the same registrations as one `cloudmap register-instance` process per instance, estimated
 * from the median of single calls measured in the same run.
 */
async function benchApply() {
  const dir = join(work, 'apply')
  mkdirSync(dir, { recursive: true })
  const doc = join(dir, 'document.json')
  writeFileSync(doc, JSON.stringify(applyDocument()))
  let run = 0
  const fresh = () => join(dir, `registry-${run++}.json`)
  const timed = measure([{ key: 'apply', argv: (i) => ['node', BIN, 'apply', '-f', doc, '--yes', '--registry', fresh(i)], env: baseEnv() }], APPLY_RUNS, 0)
  const last = join(dir, `registry-${run - 1}.json`)
  const exported = JSON.parse(runOnce(['node', BIN, 'export', '--output', 'json', '--registry', last], baseEnv()).stdout)
  let count = 0
  for (const ns of Object.values(exported.Namespaces)) for (const svc of Object.values(ns.Services ?? {})) count += Object.keys(svc.Instances ?? {}).length
  if (count !== APPLY_INSTANCES) throw new Error(`apply left ${count} instances, not ${APPLY_INSTANCES}`)
  const again = runOnce(['node', BIN, 'apply', '-f', doc, '--yes', '--registry', last], baseEnv())
  if (!again.stdout.startsWith('No changes')) throw new Error(`a second apply was not empty: ${again.stdout.slice(0, 200)}`)
  const srv = (await import('node:child_process')).spawnSync('node', [BIN, 'list-services', '--registry', last, '--query', 'Services[0].Id', '--output', 'text'], { env: baseEnv(), encoding: 'utf8' }).stdout.trim()
  const single = measure([{ key: 'register', argv: (i) => ['node', BIN, 'register-instance', '--service-id', srv, '--instance-id', `i-0-0-${Math.max(0, i) % 100}`, '--attributes', 'AWS_INSTANCE_IPV4=10.9.9.9', '--registry', last, '--output', 'json'], env: baseEnv() }], 5)
  print(`## Registry as code: \`cloudmap apply\` of ${APPLY_INSTANCES.toLocaleString('en-US')} instances`)
  print()
  print('A document of 5 namespaces x 20 services x 100 instances (3 attributes each) applied with `--yes` to an')
  print(`empty local registry: ${APPLY_RUNS} runs, each to a new registry, median; the result checked by an export, and a`)
  print('second apply checked to change nothing. The anchor: one `register-instance` process per instance.')
  print()
  table(
    ['what', 'time', 'max RSS'],
    [
      [`apply -f (${APPLY_INSTANCES.toLocaleString('en-US')} instances, 105 namespaces and services)`, fmt(timed.apply.ms), mb(timed.apply.rssMb)],
      [`one register-instance process per instance (median ${fmt(single.register.ms)} x ${APPLY_INSTANCES.toLocaleString('en-US')}, est.)`, fmt(single.register.ms * APPLY_INSTANCES), mb(single.register.rssMb)],
    ],
  )
  return { ms: timed.apply.ms, anchorMs: single.register.ms * APPLY_INSTANCES }
}

function machine() {
  const cpu = cpus()
  const fs = spawnSync('df', ['--output=fstype', work], { encoding: 'utf8' }).stdout.trim().split('\n').pop() || 'unknown'
  const os = existsSync('/etc/os-release') ? (/PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '') : ''
  const awsVersion = AWS ? spawnSync(AWS, ['--version'], { encoding: 'utf8', env: baseEnv() }).stdout.trim().split(' ')[0] : 'not installed'
  const motoVersion = MOTO ? spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).stdout.trim() || 'present' : 'not installed'
  return [
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; memory ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} GiB free)`,
    `- OS: ${os} (Linux ${release()}); registries in ${tmpdir()} on ${fs}`,
    `- Node ${process.version}; ${awsVersion} (/usr/bin/aws); moto ${motoVersion}; ${dnsperfVersion(DNSPERF)}`,
    `- ${RUNS} timed runs per command after a warm-up, interleaved; medians. Max RSS from /usr/bin/time${TIME ? '' : ' (not installed: n/a)'}.`,
    `- Date: ${new Date().toISOString()}; load average at the start ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on ${cpu.length} cores`,
  ]
}


// ---------------------------------------------------------------------------------------------------
// cloudmap run and cloudmap watch: latencies, beside AWS's documented "within five seconds"

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms))

/** A long-running cloudmap process whose stdout lines are time-stamped as they arrive. */
function startLive(argv, env) {
  const child = spawn('node', [BIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const lines = []
  let partial = ''
  child.stdout.setEncoding('utf8').on('data', (d) => {
    const now = performance.now()
    const parts = (partial + d).split('\n')
    partial = parts.pop()
    for (const text of parts) lines.push({ text, at: now })
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  const exited = new Promise((resolve) => child.once('close', resolve))
  return { child, lines, exited, stderr: () => stderr }
}

async function until(what, probe, limitMs = 30_000) {
  const deadline = Date.now() + limitMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${what}`)
    await sleepMs(2)
  }
}

async function benchRunWatch() {
  const { LocalRegistry } = await import('../dist/backends/local/local-registry.js')
  const samples = QUICK ? 15 : 40
  const runSamples = QUICK ? 5 : 15
  const rows = []
  const goalRows = []
  for (const backend of ['local', 'serve']) {
    const path = join(work, `runwatch-${backend}`, 'registry.json')
    const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012' })
    const created = await registry.invoke('CreateHttpNamespace', { Name: 'bench' })
    const nsId = (await registry.invoke('GetOperation', { OperationId: created.OperationId })).Operation.Targets.NAMESPACE
    const srv = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: nsId })).Service.Id
    let flags = ['--registry', path]
    let env = baseEnv()
    let register = (input) => registry.invoke('RegisterInstance', input)
    let server
    if (backend === 'serve') {
      server = await startServe(path)
      flags = ['--endpoint-url', server.url]
      env = baseEnv({ AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' })
      register = (input) => call(server.url, 'RegisterInstance', input)
    }

    // register-instance returning -> watch printing the event. Registrations start at random points of
    // the remote poll's 1 s interval, so the figures are not locked to one phase of it.
    const watch = startLive(['watch', ...flags, '--namespace-name', 'bench', '--service-name', 'web', '--output', 'json'], env)
    await until('watch to print the current instances', () => watch.lines.length > 0)
    const notify = []
    for (let i = 0; i < samples; i++) {
      await sleepMs(Math.random() * (backend === 'serve' ? 1000 : 50))
      const seen = watch.lines.length
      await register({ ServiceId: srv, InstanceId: `w-${i}`, Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
      const returned = performance.now()
      const line = await until(`the event of w-${i}`, () => watch.lines.slice(seen).find((l) => l.text.includes(`"w-${i}"`)))
      notify.push(line.at - returned)
    }
    watch.child.kill('SIGTERM')
    await watch.exited

    // cloudmap run starting -> instance discoverable; COMMAND exiting -> instance deregistered.
    const discoverable = async (id) => ((await registry.invoke('DiscoverInstances', { NamespaceName: 'bench', ServiceName: 'web', HealthStatus: 'ALL' })).Instances ?? []).some((x) => x.InstanceId === id)
    const start = []
    const stop = []
    const stamp = join(work, `runwatch-${backend}`, 'exited-at')
    // COMMAND says when it is ready for SIGTERM, and when it exits.
    const command = `const fs = require('fs'); process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(stamp)}, String(Date.now())); process.exit(0) }); fs.writeFileSync(${JSON.stringify(stamp)}, 'up'); setInterval(() => {}, 1e6)`
    for (let i = 0; i < runSamples; i++) {
      const id = `run-${i}`
      const began = performance.now()
      const run = startLive(['run', ...flags, '--namespace-name', 'bench', '--service-name', 'web', '--instance-id', id, '--ipv4', '10.0.0.2', '--', 'node', '-e', command], env)
      await until(`${id} to be discoverable`, () => discoverable(id))
      start.push(performance.now() - began)
      await until(`${id}'s COMMAND to start`, () => existsSync(stamp) && readFileSync(stamp, 'utf8') === 'up')
      run.child.kill('SIGTERM')
      await until(`${id} to be deregistered`, async () => !(await discoverable(id)))
      const gone = Date.now()
      stop.push(gone - Number(readFileSync(stamp, 'utf8')))
      await run.exited
      rmSync(stamp)
    }
    server?.stop()
    const label = backend === 'local' ? 'local registry' : 'through `cloudmap serve`'
    rows.push([`register-instance returned → watch printed the event (${label})`, fmt(percentile(notify, 50)), fmt(percentile(notify, 99)), String(notify.length)])
    rows.push([`\`cloudmap run\` started → discoverable (${label}, no readiness check)`, fmt(percentile(start, 50)), fmt(percentile(start, 99)), String(start.length)])
    rows.push([`COMMAND exited → deregistered (${label})`, fmt(percentile(stop, 50)), fmt(percentile(stop, 99)), String(stop.length)])
    goalRows.push([`change seen by watch, ${label}`, backend === 'local' ? '≤ 500 ms p99' : '≤ 1.5 s p99', fmt(percentile(notify, 99)), percentile(notify, 99) <= (backend === 'local' ? 500 : 1500) ? 'yes' : 'no'])
    goalRows.push([`run → discoverable, ${label}`, '≤ 500 ms + check', fmt(percentile(start, 99)), percentile(start, 99) <= 500 ? 'yes' : 'no'])
    goalRows.push([`exit → deregistered, ${label}`, '≤ 500 ms', fmt(percentile(stop, 99)), percentile(stop, 99) <= 500 ? 'yes' : 'no'])
  }
  // The floor under "run started -> discoverable": starting Node itself, on this machine, now.
  const floor = []
  for (let i = 0; i < (QUICK ? 5 : 15); i++) floor.push(runOnce(['node', '-e', '0'], baseEnv()).ms)
  rows.push(['`node -e 0` (the floor under any command start)', fmt(percentile(floor, 50)), fmt(percentile(floor, 99)), String(floor.length)])
  print('## `cloudmap run` and `cloudmap watch`: how soon changes are seen')
  print()
  print(`Load average when this part ended: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (${cpus().length} cores).`)
  print()
  print('AWS documents 5 s: ECS tasks "discoverable within five seconds", and "updates on the resource locations and attributes')
  print('are available within 5 seconds". Watch through an endpoint polls DiscoverInstancesRevision every second (--interval 1, the')
  print('default); registrations in that bench start at random points of the interval. `run` times include starting Node for cloudmap.')
  print()
  table(['what', 'p50', 'p99', 'samples'], rows)
  table(['goal', 'target (AWS: 5 s)', 'measured p99', 'met'], goalRows)
}

async function main() {
  if (ONLY !== undefined && !['serve', 'dns'].includes(ONLY)) throw new Error(`--only takes serve, dns, ${Object.keys(ALONE).join(', ')}, not ${ONLY}`)
  const sizes = QUICK
    ? [
        { label: 'empty', ns: 1, srv: 1, inst: 1 },
        { label: '1k', ns: 5, srv: 4, inst: 50 },
        { label: '10k', ns: 5, srv: 20, inst: 100 },
      ]
    : [
        { label: 'empty', ns: 1, srv: 1, inst: 1 },
        { label: '10k', ns: 5, srv: 20, inst: 100 },
        { label: '100k', ns: 50, srv: 20, inst: 100 },
      ]
  const big = sizes[sizes.length - 1]

  print('# cloudmap benchmarks')
  print()
  print('Produced by `npm run bench` (scripts/bench.mjs) in one run; registries generated by bench/generate.mjs.')
  print()
  print('Machine:')
  print()
  for (const line of machine()) print(line)
  print()
  if (ONLY === 'dns') {
    const dns = await benchDns(dnsKit())
    if (dns) goals([dns.row])
    return
  }

  if (ONLY === 'serve') {
    goals(await benchServe({ print, table, ratio, median, work, freePort, startServe, startMoto, children, motoAvailable: Boolean(MOTO), seconds: QUICK ? 3 : 5, quick: QUICK }))
    return
  }

  // Registries: "empty" has one namespace, one service and one instance (the bench registers and
  // deregisters in it); the others come from bench/generate.mjs: N namespaces x M services x K instances,
  // with the REGISTER_INSTANCE operation and request token each instance's registration left.
  const registries = {}
  for (const size of sizes) {
    const path = join(work, size.label, 'registry.json')
    const started = Date.now()
    await generate(path, { namespaces: size.ns, servicesPerNamespace: size.srv, instancesPerService: size.inst })
    registries[size.label] = path
    console.error(`(generated ${size.label}: ${size.ns * size.srv * size.inst} instances in ${Date.now() - started} ms)`)
  }
  const legacy = join(work, `${big.label}-schema1`, 'registry.json')
  await generate(legacy, { namespaces: big.ns, servicesPerNamespace: big.srv, instancesPerService: big.inst }, { schema: 1 })

  // --- 1. Cold start ----------------------------------------------------------------------------------
  print('## Cold start: `discover-instances` on a small registry')
  print()
  const emptyService = Object.keys(JSON.parse(readFileSync(registries.empty, 'utf8')).services)[0]
  const startEntries = [
    { key: 'node -e 0', argv: ['node', '-e', '0'], env: baseEnv() },
    { key: 'cloudmap discover-instances (local registry)', ...cloudmap(registries.empty, 'discover-instances', '--namespace-name', 'ns0.example', '--service-name', 'svc0') },
    { key: 'cloudmap get-instance (local registry)', ...cloudmap(registries.empty, 'get-instance', '--service-id', emptyService, '--instance-id', 'i-0-0-0') },
  ]
  let moto
  if (MOTO) {
    moto = await startMoto()
    const { srv } = await seedOverApi(moto.url, 1)
    // The AWS CLI sends discover-instances to data-<endpoint host>: it gets botocore's model without that
    // host prefix (AWS_DATA_PATH, scripts/aws-models.mjs), so 127.0.0.1 serves it and no host file entry is needed.
    const dataPath = AWS ? ensureAwsModels(work) : undefined
    if (AWS && dataPath) {
      const env = baseEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_DATA_PATH: dataPath })
      const endpoint = `http://127.0.0.1:${new URL(moto.url).port}`
      startEntries.push({ key: 'aws servicediscovery discover-instances (moto_server)', argv: [AWS, 'servicediscovery', 'discover-instances', '--namespace-name', 'bench', '--service-name', 'web', '--endpoint-url', endpoint, '--output', 'json'], env })
      startEntries.push({ key: 'aws servicediscovery get-instance (moto_server)', argv: [AWS, 'servicediscovery', 'get-instance', '--service-id', srv, '--instance-id', 'i-0', '--endpoint-url', endpoint, '--output', 'json'], env })
    }
  }
  const start = measure(startEntries)
  const node0 = start['node -e 0'].ms
  table(
    ['command', 'median', 'vs node -e 0', 'max RSS'],
    startEntries.map((e) => [e.key, fmt(start[e.key].ms), ratio(start[e.key].ms, node0), mb(start[e.key].rssMb)]),
  )
  if (!AWS || !MOTO) print(`(${!AWS ? '/usr/bin/aws is not installed' : 'moto_server is not installed'}: the AWS CLI rows are missing.)\n`)
  const coldRatio = start['cloudmap discover-instances (local registry)'].ms / node0

  // --- 2. Scale ---------------------------------------------------------------------------------------
  print(`## Scale: one-service commands on registries of growing size`)
  print()
  print('Each registry has the instances shown spread over namespaces of 20 services x 100 instances (the')
  print('"empty" one: 1 namespace, 1 service, 1 instance), and one operation and request token per instance.')
  print('`register` registers an instance id that was just deregistered (a new registration: quota checks,')
  print('new operation); `discover` uses `--max-results 1` so every size prints the same output.')
  print()
  // One interleaved measurement over all sizes, so that drift on the machine hits every size alike.
  const entries = []
  for (const size of sizes) {
    const reg = registries[size.label]
    const ids = (i) => `i-0-0-${Math.max(0, i) % size.inst}`
    const srvId = Object.keys(JSON.parse(readFileSync(reg, 'utf8')).services)[0]
    const run = (...argv) => ['node', BIN, ...argv, '--output', 'json']
    entries.push(
      { key: `${size.label}:discover`, ...cloudmap(reg, 'discover-instances', '--namespace-name', 'ns0.example', '--service-name', 'svc0', '--max-results', '1') },
      { key: `${size.label}:get-instance`, ...cloudmap(reg, 'get-instance', '--service-id', srvId, '--instance-id', 'i-0-0-0') },
      { key: `${size.label}:deregister`, ...cloudmap(reg), argv: (i) => run('deregister-instance', '--service-id', srvId, '--instance-id', ids(i)) },
      { key: `${size.label}:register`, ...cloudmap(reg), argv: (i) => run('register-instance', '--service-id', srvId, '--instance-id', ids(i), '--attributes', 'AWS_INSTANCE_IPV4=10.9.9.9') },
    )
  }
  const measured = measure(entries)
  const scale = {}
  for (const [key, value] of Object.entries(measured)) {
    const [label, op] = key.split(':')
    ;(scale[label] ??= {})[op] = value
  }
  const legacyRun = measure([
    { key: 'discover', ...cloudmap(legacy, 'discover-instances', '--namespace-name', 'ns0.example', '--service-name', 'svc0', '--max-results', '1') },
    { key: 'get-instance', ...cloudmap(legacy, 'get-instance', '--service-id', Object.keys(JSON.parse(readFileSync(legacy, 'utf8')).services)[0], '--instance-id', 'i-0-0-0') },
  ], Math.min(RUNS, 5))
  const ops = ['discover', 'get-instance', 'register', 'deregister']
  const header = ['command', ...sizes.map((s) => `${s.label} (${(s.ns * s.srv * s.inst).toLocaleString('en-US')})`), `${big.label} vs empty`, `max RSS ${sizes.map((s) => s.label).join(' / ')}`]
  table(
    header,
    ops.map((op) => [op, ...sizes.map((s) => fmt(scale[s.label][op].ms)), ratio(scale[big.label][op].ms, scale.empty[op].ms), sizes.map((s) => mb(scale[s.label][op].rssMb)).join(' / ')]),
  )
  print(`For comparison, the same ${big.label} registry in the single-file layout (schema 1, as before sharding; read as is, reads never migrate):`)
  print()
  table(
    ['command', `${big.label}, one file`, 'vs empty', 'max RSS'],
    ['discover', 'get-instance'].map((op) => [op, fmt(legacyRun[op].ms), ratio(legacyRun[op].ms, scale.empty[op].ms), mb(legacyRun[op].rssMb)]),
  )
  const files = (label) => {
    const p = registries[label]
    const main = statSync(p).size
    return `${(main / 1024).toFixed(0)} KiB registry file`
  }
  print(`Registry file sizes: ${sizes.map((s) => `${s.label}: ${files(s.label)}`).join('; ')}; schema 1 ${big.label}: ${(statSync(legacy).size / 2 ** 20).toFixed(0)} MiB.`)
  print()

  // --- 3. Parallel writers ----------------------------------------------------------------------------
  print(`## ${PARALLEL} writers at once on one registry`)
  print()
  print(`${PARALLEL} \`register-instance\` processes started together; total wall time until the last exits,`)
  print('against the same writes one after another (median single write x N); then every instance is checked.')
  print()
  const parallelRows = []
  for (const label of ['empty', big.label]) {
    const reg = registries[label]
    const doc = JSON.parse(readFileSync(reg, 'utf8'))
    const services = Object.keys(doc.services)
    // In the big registry every namespace is at its quota: the writers re-register existing instances, one per service.
    // Services are in creation order: service j is service j % 20 of namespace j / 20 (bench/generate.mjs).
    const job = (i) => {
      if (label === 'empty') return ['register-instance', '--service-id', services[0], '--instance-id', `p-${i}`, '--attributes', `n=${i}`]
      const j = (i * 7) % services.length
      return ['register-instance', '--service-id', services[j], '--instance-id', `i-${Math.floor(j / big.srv)}-${j % big.srv}-1`, '--attributes', `n=${i}`]
    }
    const started = process.hrtime.bigint()
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        new Promise((resolve) => {
          const child = spawn('node', [BIN, ...job(i), '--output', 'json'], { env: baseEnv({ CLOUDMAP_REGISTRY: reg }), stdio: ['ignore', 'pipe', 'pipe'] })
          let err = ''
          child.stderr.on('data', (d) => (err += d))
          child.on('close', (code) => resolve({ code, err }))
        }),
      ),
    )
    const total = Number(process.hrtime.bigint() - started) / 1e6
    const failed = results.filter((r) => r.code !== 0)
    if (failed.length) throw new Error(`parallel writers failed: ${failed[0].err}`)
    // Check that nothing was lost: every write is there with its value.
    const { RegistryStore } = await import('../dist/backends/local/store/index.js')
    const store = new RegistryStore(reg)
    let lost = 0
    await store.read((state) => {
      for (let i = 0; i < PARALLEL; i++) {
        const [, , svc, , id] = job(i)
        const instance = state.instances.of(svc)[id]
        if (!instance || instance.Attributes.n !== String(i)) lost++
      }
    })
    const single = scale[label].register.ms
    parallelRows.push([label, fmt(total), fmt(total / PARALLEL), fmt(single * PARALLEL), ratio(total, single * PARALLEL), String(lost)])
  }
  table(['registry', `${PARALLEL} at once: total`, 'per write', 'one after another (est.)', 'ratio', 'writes lost'], parallelRows)

  // --- 4. serve under load (bench/serve.mjs) ----------------------------------------------------------
  await moto?.stop()
  const serveGoals = await benchServe({ print, table, ratio, median, work, freePort, startServe, startMoto, children, motoAvailable: Boolean(MOTO), seconds: QUICK ? 3 : 5, quick: QUICK })
  moto = undefined

  const dns = await benchDns(dnsKit())

  // --- 5. Health checks, and the dashboard's cost -------------------------------------------------------------------------------
  const health = await benchHealth()
  const dashboard = await benchUi()
  print()

  // --- 6. Registry as code ------------------------------------------------------------------------------
  const applied = await benchApply()

  // --- Goals ------------------------------------------------------------------------------------------
  const worst = Math.max(...ops.map((op) => scale[big.label][op].ms / scale.empty[op].ms))
  const rssBig = Math.max(...ops.map((op) => scale[big.label][op].rssMb ?? 0))
  const rssEmpty = Math.max(...ops.map((op) => scale.empty[op].rssMb ?? 0))
  const lostAll = parallelRows.reduce((n, r) => n + Number(r[5]), 0)
  await benchRunWatch()
  goals([
    ['cold start of `discover-instances` (local)', '≤ 2x `node -e 0`', ratio(coldRatio, 1), coldRatio <= 2 ? 'yes' : 'no'],
    [`one-service commands at ${big.label} instances`, 'close to empty (≤ 1.25x)', `≤ ${ratio(worst, 1)}`, worst <= 1.25 ? 'yes' : 'no'],
    [`memory at ${big.label}`, 'bounded (close to empty)', `${mb(rssBig)} vs ${mb(rssEmpty)}`, TIME ? (rssBig <= rssEmpty * 1.5 ? 'yes' : 'no') : 'n/a'],
    [`${PARALLEL} concurrent writers`, 'no write lost', `${lostAll} lost`, lostAll === 0 ? 'yes' : 'no'],
    ['DiscoverInstances while serve probes 200 instances every second', 'keeps its rate (≥ 0.8x)', ratio(health.on, health.off), health.on >= 0.8 * health.off ? 'yes' : 'no'],
    ["serve's API with the dashboard on (and a page connected)", 'keeps its rate (≥ 0.8x of `--no-ui`)', `≥ ${ratio(dashboard.worst, 1)}`, dashboard.worst >= 0.8 ? 'yes' : 'no'],
    [`\`cloudmap apply\` of ${APPLY_INSTANCES.toLocaleString('en-US')} instances (empty local registry)`, '≤ 10 s', fmt(applied.ms), applied.ms <= 10_000 ? 'yes' : 'no'],
    ...serveGoals,
    ...(dns ? [dns.row] : []),
  ])
}

/** The goals table, and the Markdown file when --write asks for it. */
function goals(rows) {
  print('## Goals')
  print()
  table(['goal', 'target', 'measured', 'met'], rows)
  if (WRITE) {
    writeFileSync(WRITE, `${out.join('\n')}\n`)
    console.error(`(written to ${WRITE})`)
  }
}

/** The parts that run alone (`--only NAME`), without main's registries: what they print under their title. */
const ALONE = {
  apply: {
    title: 'registry as code',
    run: async () => {
      const applied = await benchApply()
      print(`Goal: ≤ 10 s; measured ${fmt(applied.ms)}: ${applied.ms <= 10_000 ? 'met' : 'not met'}.`)
    },
  },
  ui: { title: "the dashboard's cost to the API", run: () => benchUi() },
  health: { title: 'health checks', run: () => benchHealth() },
  runwatch: { title: 'cloudmap run / watch latencies', run: () => benchRunWatch() },
}

async function alone({ title, run }) {
  print(`# cloudmap benchmarks: ${title} (\`node scripts/bench.mjs --only ${ONLY}\`)`)
  print()
  for (const line of machine()) print(line)
  print()
  await run()
  if (WRITE) writeFileSync(WRITE, `${out.join('\n')}\n`)
}

try {
  if (Object.hasOwn(ALONE, ONLY ?? '')) await alone(ALONE[ONLY])
  else await main()
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  if (flag('--keep')) console.error(`(registries kept in ${work})`)
  else rmSync(work, { recursive: true, force: true })
}
