#!/usr/bin/env node
// npm run bench: cloudmap's speed goals, measured side by side in one run on this machine.
//
//   node scripts/bench.mjs [--runs N] [--quick] [--write FILE] [--keep] [--only apply]
//
//   --runs N      timed runs per command (default 15); medians are reported
//   --quick       smaller registries (1k/10k instead of 10k/100k) and fewer runs: a smoke test
//   --write FILE  also write the results as Markdown (bench/RESULTS.md for the README)
//   --keep        keep the generated registries (their folder is printed)
//   --only apply  only the registry-as-code measurement: `cloudmap apply` of 10,000 instances
//
// Needs a build (npm run build). Uses /usr/bin/aws and moto_server when present, and says so when not.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'node:net'
import { generate } from '../bench/generate.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'bin', 'run.js')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const QUICK = flag('--quick')
const ONLY = option('--only', undefined)
const RUNS = Number(option('--runs', QUICK ? 5 : 15))
const WRITE = option('--write', undefined)
const PARALLEL = QUICK ? 20 : 50
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined
const MOTO = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim() || undefined

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

/** Requests per second: `count` requests, `concurrency` in flight at a time. */
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

async function startServe(registry) {
  const child = spawn('node', [BIN, 'serve', '--port', '0', '--registry', registry], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
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
  return { url, stop: () => child.kill('SIGTERM') }
}

// ---------------------------------------------------------------------------------------------------
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
    `- Node ${process.version}; ${awsVersion} (/usr/bin/aws); moto ${motoVersion}`,
    `- ${RUNS} timed runs per command after a warm-up, interleaved; medians. Max RSS from /usr/bin/time${TIME ? '' : ' (not installed: n/a)'}.`,
    `- Date: ${new Date().toISOString()}; load average at the start ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on ${cpu.length} cores`,
  ]
}

async function main() {
  if (ONLY === 'apply') {
    print('# cloudmap benchmarks: registry as code')
    print()
    for (const line of machine()) print(line)
    print()
    const applied = await benchApply()
    print(`Goal: ≤ 10 s; measured ${fmt(applied.ms)}: ${applied.ms <= 10_000 ? 'met' : 'not met'}.`)
    if (WRITE) writeFileSync(WRITE, `${out.join('\n')}\n`)
    return
  }
  if (ONLY !== undefined) throw new Error(`--only takes apply, not ${ONLY}`)
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
  let awsNote
  if (MOTO) {
    moto = await startMoto()
    const { srv } = await seedOverApi(moto.url, 1)
    if (AWS) {
      const env = baseEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' })
      const port = new URL(moto.url).port
      // The AWS CLI sends discover-instances to data-<endpoint host>: that needs a name with a resolvable
      // data- twin (test/interop adds sd.test and data-sd.test to /etc/hosts); 127.0.0.1 has none.
      const twin = ['sd.test', 'data-sd.test'].every((h) => spawnSync('getent', ['hosts', h]).status === 0)
      if (twin) {
        startEntries.push({ key: 'aws servicediscovery discover-instances (moto_server)', argv: [AWS, 'servicediscovery', 'discover-instances', '--namespace-name', 'bench', '--service-name', 'web', '--endpoint-url', `http://sd.test:${port}`, '--output', 'json'], env })
      } else {
        awsNote = '(aws discover-instances needs a host name whose data- twin resolves, such as sd.test and data-sd.test in /etc/hosts: not set up here, so only get-instance is compared.)'
      }
      startEntries.push({ key: 'aws servicediscovery get-instance (moto_server)', argv: [AWS, 'servicediscovery', 'get-instance', '--service-id', srv, '--instance-id', 'i-0', '--endpoint-url', `http://127.0.0.1:${port}`, '--output', 'json'], env })
    }
  }
  const start = measure(startEntries)
  const node0 = start['node -e 0'].ms
  table(
    ['command', 'median', 'vs node -e 0', 'max RSS'],
    startEntries.map((e) => [e.key, fmt(start[e.key].ms), ratio(start[e.key].ms, node0), mb(start[e.key].rssMb)]),
  )
  if (!AWS || !MOTO) print(`(${!AWS ? '/usr/bin/aws is not installed' : 'moto_server is not installed'}: the AWS CLI rows are missing.)\n`)
  if (awsNote) print(`${awsNote}\n`)
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

  // --- 4. serve vs moto_server ------------------------------------------------------------------------
  print('## `cloudmap serve` vs moto_server: requests per second')
  print()
  const serveBuilt = existsSync(join(ROOT, 'dist', 'commands', 'serve.js'))
  let serveSlower = []
  let serveRows
  if (!serveBuilt) {
    print('`cloudmap serve` does not exist yet in this build: nothing to measure.')
    print()
  } else if (!MOTO) {
    print('moto_server is not installed: no comparison.')
    print()
  } else {
    const serveRegistry = join(work, 'serve', 'registry.json')
    const serve = await startServe(serveRegistry)
    await moto.stop()
    moto = await startMoto()
    const targets = { serve: { url: serve.url, ...(await seedOverApi(serve.url, 10)) }, moto: { url: moto.url, ...(await seedOverApi(moto.url, 10)) } }
    const count = QUICK ? 100 : 400
    const rates = {}
    for (const [name, t] of Object.entries(targets)) {
      rates[name] = {
        discover: await rate(count, 8, () => call(t.url, 'DiscoverInstances', { NamespaceName: 'bench', ServiceName: 'web' })),
        register: await rate(count / 2, 8, (i) => call(t.url, 'RegisterInstance', { ServiceId: t.srv, InstanceId: `r-${i}`, Attributes: { AWS_INSTANCE_IPV4: '10.1.1.1' } })),
        get: await rate(count, 8, (i) => call(t.url, 'GetInstance', { ServiceId: t.srv, InstanceId: `i-${i % 10}` })),
      }
    }
    serve.stop()
    // The store by itself, in this process: what serve's writes cost without HTTP, one at a time and
    // with 8 in flight (writes in flight together are saved in one commit).
    const { LocalRegistry } = await import('../dist/backends/local/local-registry.js')
    const local = new LocalRegistry({ path: join(work, 'in-process', 'registry.json'), region: 'us-east-1', accountId: '123456789012' })
    const created = await local.invoke('CreateHttpNamespace', { Name: 'bench' })
    const nsId = (await local.invoke('GetOperation', { OperationId: created.OperationId })).Operation.Targets.NAMESPACE
    const localSrv = (await local.invoke('CreateService', { Name: 'web', NamespaceId: nsId })).Service.Id
    const localRate = {}
    for (const inFlight of [1, 8]) {
      localRate[inFlight] = await rate(count / 2, inFlight, (i) => local.invoke('RegisterInstance', { ServiceId: localSrv, InstanceId: `x${inFlight}-${i}`, Attributes: { AWS_INSTANCE_IPV4: '10.1.1.1' } }))
    }
    serveRows = ['discover', 'get', 'register'].map((op) => [op === 'get' ? 'GetInstance' : op === 'discover' ? 'DiscoverInstances' : 'RegisterInstance', `${rates.serve[op].toFixed(0)}/s`, `${rates.moto[op].toFixed(0)}/s`, ratio(rates.serve[op], rates.moto[op])])
    serveSlower = ['discover', 'get', 'register'].filter((op) => rates.serve[op] < rates.moto[op])
    print(`${count} requests (RegisterInstance: ${count / 2}), 8 in flight, keep-alive, on a registry of 10 instances.`)
    print()
    table(['request', 'cloudmap serve', 'moto_server', 'serve / moto'], serveRows)
    print('moto_server keeps its state in memory; every cloudmap write is durable (lock, journal, fsync, rename)')
    print(`before it is answered. The local registry alone, in process, RegisterInstance: ${localRate[1].toFixed(0)}/s one at a time,`)
    print(`${localRate[8].toFixed(0)}/s with 8 in flight (writes in flight together share one commit).`)
    print()
  }
  moto?.stop()

  // --- 5. Registry as code ------------------------------------------------------------------------------
  const applied = await benchApply()

  // --- Goals ------------------------------------------------------------------------------------------
  print('## Goals')
  print()
  const worst = Math.max(...ops.map((op) => scale[big.label][op].ms / scale.empty[op].ms))
  const rssBig = Math.max(...ops.map((op) => scale[big.label][op].rssMb ?? 0))
  const rssEmpty = Math.max(...ops.map((op) => scale.empty[op].rssMb ?? 0))
  const lostAll = parallelRows.reduce((n, r) => n + Number(r[5]), 0)
  table(
    ['goal', 'target', 'measured', 'met'],
    [
      ['cold start of `discover-instances` (local)', '≤ 2x `node -e 0`', ratio(coldRatio, 1), coldRatio <= 2 ? 'yes' : 'no'],
      [`one-service commands at ${big.label} instances`, 'close to empty (≤ 1.25x)', `≤ ${ratio(worst, 1)}`, worst <= 1.25 ? 'yes' : 'no'],
      [`memory at ${big.label}`, 'bounded (close to empty)', `${mb(rssBig)} vs ${mb(rssEmpty)}`, TIME ? (rssBig <= rssEmpty * 1.5 ? 'yes' : 'no') : 'n/a'],
      [`${PARALLEL} concurrent writers`, 'no write lost', `${lostAll} lost`, lostAll === 0 ? 'yes' : 'no'],
      [`\`cloudmap apply\` of ${APPLY_INSTANCES.toLocaleString('en-US')} instances (empty local registry)`, '≤ 10 s', fmt(applied.ms), applied.ms <= 10_000 ? 'yes' : 'no'],
      ['serve vs moto_server', 'request rate', serveRows ? serveRows.map((r) => `${r[0]} ${r[3]}`).join(', ') : 'serve not built', serveRows ? (serveSlower.length === 0 ? 'yes' : `no: ${serveSlower.join(', ')} slower`) : 'n/a'],
    ],
  )

  if (WRITE) {
    writeFileSync(WRITE, `${out.join('\n')}\n`)
    console.error(`(written to ${WRITE})`)
  }
}

try {
  await main()
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  if (flag('--keep')) console.error(`(registries kept in ${work})`)
  else rmSync(work, { recursive: true, force: true })
}
