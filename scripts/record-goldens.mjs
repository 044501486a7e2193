#!/usr/bin/env node
// Record golden fixtures for cloudmap from the real AWS CLI v2 against moto_server.
//
//   node scripts/record-goldens.mjs [--out test/golden/fixtures] [--keep]
//
// What it does:
//   1. gives /usr/bin/aws the 30-operation servicediscovery model of the Python botocore on this machine
//      through AWS_DATA_PATH (scripts/aws-models.mjs), less DiscoverInstances' `data-` host prefix, so that
//      the AWS CLI sends every request to the endpoint itself and no host file entry is needed;
//   2. changes nothing on the machine (no host file entry, no system file);
//   3. starts `moto_server -H 127.0.0.1 -p <free port>` and, in front of it, a small recording HTTP proxy
//      (node:http) that forwards every request and records, per request, the X-Amz-Target operation, the
//      Host header, the request body, and the raw response status and body;
//   4. runs the scenario below through `/usr/bin/aws servicediscovery ... --endpoint-url http://127.0.0.1:<proxy>`
//      with AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER= TZ=UTC,
//      stdout a pipe (tables 80 columns wide);
//   5. writes one fixture per command: test/golden/fixtures/<NN>-<name>.json =
//      { command, operation, pages: [{ request, response, status, host }], stdout: { json, text, table, yaml, yaml-stream },
//        stderr, exitCode, ... }.
//      Read-only commands are re-run with --output text|table|yaml|yaml-stream (state unchanged, so the same responses;
//      the recorder checks that and keeps per-format pages when they differ). Writes are recorded in json only.
//
// Fixtures are recorded once and committed: ids, timestamps and operation ids are moto's of that run.
// Old fixtures in the output folder are removed first (only files matching NN-*.json).

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { ensureAwsModels } from './aws-models.mjs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const AWS = process.env.AWS_CLI ?? '/usr/bin/aws'
const FORMATS = ['json', 'text', 'table', 'yaml', 'yaml-stream']

const args = process.argv.slice(2)
const outIdx = args.indexOf('--out')
const OUT = resolve(ROOT, outIdx >= 0 ? args[outIdx + 1] : 'test/golden/fixtures')
const KEEP = args.includes('--keep')

// ---------------------------------------------------------------------------------------------------------
// environment

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer()
    s.unref()
    s.on('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

async function waitForPort(port, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const ok = await new Promise((res) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy()
        res(true)
      })
      sock.on('error', () => res(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`)
}

// ---------------------------------------------------------------------------------------------------------
// recording proxy

function startProxy(targetPort) {
  const log = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const headers = { ...req.headers }
      const up = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers }, (ur) => {
        const rc = []
        ur.on('data', (c) => rc.push(c))
        ur.on('end', () => {
          const rbody = Buffer.concat(rc)
          log.push({
            target: String(req.headers['x-amz-target'] ?? ''),
            host: String(req.headers.host ?? ''),
            method: req.method,
            path: req.url,
            requestBody: body.toString('utf8'),
            status: ur.statusCode,
            responseBody: rbody.toString('utf8'),
          })
          const h = { ...ur.headers }
          delete h['transfer-encoding']
          h['content-length'] = String(rbody.length)
          res.writeHead(ur.statusCode ?? 502, h)
          res.end(rbody)
        })
      })
      up.on('error', (e) => {
        res.writeHead(502)
        res.end(String(e))
      })
      up.end(body)
    })
  })
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res({ server, port: server.address().port, log })))
}

// ---------------------------------------------------------------------------------------------------------
// running the AWS CLI

function awsEnv(dataPath) {
  const home = mkdtempSync(join(tmpdir(), 'golden-home-'))
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' }
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    TZ: 'UTC',
    AWS_DATA_PATH: dataPath,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  })
  return env
}

function run(cmd, argv, env) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = []
    const err = []
    p.stdout.on('data', (c) => out.push(c))
    p.stderr.on('data', (c) => err.push(c))
    p.on('error', rej)
    p.on('close', (code) => res({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 }))
  })
}

// ---------------------------------------------------------------------------------------------------------
// the scenario
//
// Each step: name, argv (after `aws servicediscovery`, without --endpoint-url/--output; a function of the
// context for ids), read (re-run in every output format), expect (exit code, default 0), then (captures ids).

const LONG = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'
// Escaping-heavy attribute values, written as a JSON document in this key order (a JS object would put the
// integer-like keys 10 and 9 first; the AWS CLI keeps b, 10, 9, a).
const SPECIAL_ATTRS_ORDERED =
  '{' +
  [
    ['AWS_INSTANCE_IPV4', '10.0.2.1'],
    ['unicode', 'café ✓ 日本 한국어 Ωmega'],
    ['emoji', 'rocket 🚀 flag 🇫🇷'],
    ['quote', 'say "hi"'],
    ['backslash', 'C:\\dir\\file'],
    ['slash', '</script>'],
    ['tab', 'a\tb'],
    ['newline', 'line1\nline2'],
    ['cr', 'a\rb'],
    ['controls', '\u0001\u001f\u007f'],
    ['separators', 'ls\u2028ps\u2029'],
    ['bool_like', 'yes'],
    ['num_like', '1.0'],
    ['null_like', 'null'],
    ['empty', ''],
    ['colon_space', 'a: b'],
    ['hash', '#x'],
    ['leading_space', ' x'],
    ['trailing_space', 'x '],
    ['b', 'first'],
    ['10', 'ten'],
    ['9', 'nine'],
    ['a', 'last'],
    ['long', LONG],
  ]
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ') +
  '}'

function scenario() {
  const c = {}
  const nsFromOp = (key) => (out) => {
    c[key] = JSON.parse(out).Operation.Targets.NAMESPACE
  }
  const opId = (key) => (out) => {
    c[key] = JSON.parse(out).OperationId
  }
  const srvId = (key) => (out) => {
    c[key] = JSON.parse(out).Service.Id
  }
  return [
    // namespaces
    { name: 'create-http-namespace', argv: () => ['create-http-namespace', '--name', 'golden-http', '--description', 'HTTP namespace "quoted" ✓', '--tags', 'Key=env,Value=dev', 'Key=team,Value=core'], then: opId('opHttp') },
    { name: 'get-operation-create-http-namespace', read: true, argv: () => ['get-operation', '--operation-id', c.opHttp], then: nsFromOp('nsHttp') },
    { name: 'create-private-dns-namespace', argv: () => ['create-private-dns-namespace', '--name', 'private.golden.test', '--vpc', 'vpc-12345678', '--description', 'private ns', '--properties', 'DnsProperties={SOA={TTL=60}}'], then: opId('opPriv') },
    { name: 'get-operation-create-private-dns-namespace', read: true, argv: () => ['get-operation', '--operation-id', c.opPriv], then: nsFromOp('nsPriv') },
    { name: 'create-public-dns-namespace', argv: () => ['create-public-dns-namespace', '--name', 'public.golden.test', '--properties', 'DnsProperties={SOA={TTL=100}}'], then: opId('opPub') },
    { name: 'get-operation-create-public-dns-namespace', read: true, argv: () => ['get-operation', '--operation-id', c.opPub], then: nsFromOp('nsPub') },
    { name: 'get-namespace-http', read: true, argv: () => ['get-namespace', '--id', c.nsHttp] },
    { name: 'get-namespace-private', read: true, argv: () => ['get-namespace', '--id', c.nsPriv] },
    { name: 'get-namespace-public', read: true, argv: () => ['get-namespace', '--id', c.nsPub] },
    { name: 'list-namespaces', read: true, argv: () => ['list-namespaces'] },
    { name: 'list-namespaces-query-names', read: true, argv: () => ['list-namespaces', '--query', 'Namespaces[].Name'] },
    { name: 'list-namespaces-page-size-1', read: true, argv: () => ['list-namespaces', '--page-size', '1'] },
    { name: 'list-tags-for-resource-namespace', read: true, argv: () => ['list-tags-for-resource', '--resource-arn', `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${c.nsHttp}`] },
    // services
    {
      name: 'create-service-dns-multivalue-custom-health',
      argv: () => ['create-service', '--name', 'web', '--namespace-id', c.nsPriv, '--description', 'web service', '--dns-config', `NamespaceId=${c.nsPriv},RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60},{Type=SRV,TTL=30}]`, '--health-check-custom-config', 'FailureThreshold=1', '--tags', 'Key=app,Value=web'],
      then: srvId('srvWeb'),
    },
    {
      name: 'create-service-dns-weighted-http-health',
      argv: () => ['create-service', '--name', 'pub', '--namespace-id', c.nsPub, '--dns-config', '{"RoutingPolicy": "WEIGHTED", "DnsRecords": [{"Type": "CNAME", "TTL": 300}]}', '--health-check-config', 'Type=HTTP,ResourcePath=/health,FailureThreshold=2'],
      then: srvId('srvPub'),
    },
    { name: 'create-service-http-unicode-description', argv: () => ['create-service', '--name', 'api', '--namespace-id', c.nsHttp, '--description', 'API service ✓ — 日本', '--type', 'HTTP'], then: srvId('srvApi') },
    { name: 'create-service-minimal', argv: () => ['create-service', '--name', 'edge', '--namespace-id', c.nsHttp], then: srvId('srvEdge') },
    { name: 'get-service-web', read: true, argv: () => ['get-service', '--id', c.srvWeb] },
    { name: 'get-service-pub', read: true, argv: () => ['get-service', '--id', c.srvPub] },
    { name: 'get-service-api', read: true, argv: () => ['get-service', '--id', c.srvApi] },
    { name: 'get-service-edge', read: true, argv: () => ['get-service', '--id', c.srvEdge] },
    { name: 'list-services', read: true, argv: () => ['list-services'] },
    { name: 'list-services-filter', read: true, argv: () => ['list-services', '--filters', `Name=NAMESPACE_ID,Values=${c.nsHttp},Condition=EQ`] },
    { name: 'list-services-page-size-1', read: true, argv: () => ['list-services', '--page-size', '1'] },
    { name: 'list-services-query', read: true, argv: () => ['list-services', '--query', 'Services[?Type==`HTTP`].[Name, Description]'] },
    // instances
    { name: 'register-instance-web-1', argv: () => ['register-instance', '--service-id', c.srvWeb, '--instance-id', 'i-web-1', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.1,AWS_INSTANCE_PORT=80'], then: opId('opReg') },
    { name: 'register-instance-web-2', argv: () => ['register-instance', '--service-id', c.srvWeb, '--instance-id', 'i-web-2', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2,AWS_INSTANCE_PORT=8080'] },
    { name: 'register-instance-web-3-json', argv: () => ['register-instance', '--service-id', c.srvWeb, '--instance-id', 'i-web-3', '--attributes', '{"AWS_INSTANCE_IPV4": "10.0.0.3", "AWS_INSTANCE_PORT": "80"}'] },
    { name: 'register-instance-api-1', argv: () => ['register-instance', '--service-id', c.srvApi, '--instance-id', 'i-api-1', '--attributes', 'version=1.0,active=yes,AWS_INSTANCE_IPV4=10.0.1.1'] },
    { name: 'register-instance-api-2', argv: () => ['register-instance', '--service-id', c.srvApi, '--instance-id', 'i-api-2', '--attributes', 'version=2.0,active=no,AWS_INSTANCE_IPV4=10.0.1.2'] },
    { name: 'register-instance-api-3', argv: () => ['register-instance', '--service-id', c.srvApi, '--instance-id', 'i-api-3', '--attributes', 'version=1.0,active=no,AWS_INSTANCE_IPV4=10.0.1.3'] },
    { name: 'register-instance-escaping-json', argv: () => ['register-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-1', '--attributes', SPECIAL_ATTRS_ORDERED] },
    { name: 'register-instance-non-ascii-shorthand', argv: () => ['register-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-2', '--creator-request-id', 'golden-fixed-creator', '--attributes', 'AWS_INSTANCE_IPV4=10.0.2.2,name=café ✓,city=Zürich,jp=日本語,quoted="a,b",eq=x=y'] },
    { name: 'get-operation-register-instance', read: true, argv: () => ['get-operation', '--operation-id', c.opReg] },
    { name: 'get-instance-web-1', read: true, argv: () => ['get-instance', '--service-id', c.srvWeb, '--instance-id', 'i-web-1'] },
    { name: 'get-instance-escaping', read: true, argv: () => ['get-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-1'] },
    { name: 'get-instance-non-ascii', read: true, argv: () => ['get-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-2'] },
    { name: 'list-instances-web', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb] },
    { name: 'list-instances-web-page-size-1', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--page-size', '1'] },
    { name: 'list-instances-api-page-size-1-query', read: true, argv: () => ['list-instances', '--service-id', c.srvApi, '--page-size', '1', '--query', 'Instances[].Id'] },
    { name: 'list-instances-web-max-items-2', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--max-items', '2'], then: (out) => (c.tokWeb = JSON.parse(out).NextToken) },
    { name: 'list-instances-web-starting-token', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--starting-token', c.tokWeb] },
    { name: 'list-instances-web-max-items-1-page-size-2', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--max-items', '1', '--page-size', '2'] },
    { name: 'list-instances-web-no-paginate', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--no-paginate'] },
    { name: 'list-instances-web-max-results-1', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb, '--max-results', '1'] },
    { name: 'list-instances-edge', read: true, argv: () => ['list-instances', '--service-id', c.srvEdge] },
    { name: 'get-instances-health-status-web', read: true, argv: () => ['get-instances-health-status', '--service-id', c.srvWeb] },
    { name: 'discover-instances-api', read: true, argv: () => ['discover-instances', '--namespace-name', 'golden-http', '--service-name', 'api'] },
    { name: 'discover-instances-api-query-parameters', read: true, argv: () => ['discover-instances', '--namespace-name', 'golden-http', '--service-name', 'api', '--query-parameters', 'version=1.0', '--optional-parameters', 'active=yes'] },
    { name: 'discover-instances-api-max-results', read: true, argv: () => ['discover-instances', '--namespace-name', 'golden-http', '--service-name', 'api', '--max-results', '1', '--health-status', 'ALL'] },
    { name: 'discover-instances-edge-escaping', read: true, argv: () => ['discover-instances', '--namespace-name', 'golden-http', '--service-name', 'edge'] },
    { name: 'list-operations', read: true, argv: () => ['list-operations'] },
    { name: 'list-operations-page-size-2', read: true, argv: () => ['list-operations', '--page-size', '2'] },
    { name: 'list-operations-filter-query', read: true, argv: () => ['list-operations', '--filters', 'Name=TYPE,Values=REGISTER_INSTANCE,Condition=EQ', '--query', 'Operations[].Status'] },
    // updates, tags, health and revision: the rest of the 30 operations (moto does not implement
    // Get/Update/DeleteServiceAttributes: it answers HTTP 500, which the AWS CLI retries, so they are not recorded)
    { name: 'update-http-namespace', argv: () => ['update-http-namespace', '--id', c.nsHttp, '--namespace', 'Description=updated HTTP namespace'] },
    { name: 'update-private-dns-namespace', argv: () => ['update-private-dns-namespace', '--id', c.nsPriv, '--namespace', 'Description=private ns v2,Properties={DnsProperties={SOA={TTL=120}}}'] },
    { name: 'update-public-dns-namespace', argv: () => ['update-public-dns-namespace', '--id', c.nsPub, '--namespace', '{"Description": "public v2", "Properties": {"DnsProperties": {"SOA": {"TTL": 90}}}}'] },
    { name: 'get-namespace-private-after-update', read: true, argv: () => ['get-namespace', '--id', c.nsPriv] },
    { name: 'update-service-web', argv: () => ['update-service', '--id', c.srvWeb, '--service', 'Description=web v2,DnsConfig={DnsRecords=[{Type=A,TTL=120},{Type=SRV,TTL=30}]}'], then: opId('opUpdSrv') },
    { name: 'get-operation-update-service', read: true, argv: () => ['get-operation', '--operation-id', c.opUpdSrv] },
    { name: 'tag-resource-service', argv: () => ['tag-resource', '--resource-arn', `arn:aws:servicediscovery:us-east-1:123456789012:service/${c.srvApi}`, '--tags', 'Key=tier,Value=api', 'Key=owner,Value=team ✓'] },
    { name: 'list-tags-for-resource-service', read: true, argv: () => ['list-tags-for-resource', '--resource-arn', `arn:aws:servicediscovery:us-east-1:123456789012:service/${c.srvApi}`] },
    { name: 'untag-resource-service', argv: () => ['untag-resource', '--resource-arn', `arn:aws:servicediscovery:us-east-1:123456789012:service/${c.srvApi}`, '--tag-keys', 'tier'] },
    { name: 'update-instance-custom-health-status', argv: () => ['update-instance-custom-health-status', '--service-id', c.srvWeb, '--instance-id', 'i-web-2', '--status', 'UNHEALTHY'] },
    { name: 'get-instances-health-status-web-instances', read: true, argv: () => ['get-instances-health-status', '--service-id', c.srvWeb, '--instances', 'i-web-1', 'i-web-2'] },
    { name: 'discover-instances-revision-api', read: true, argv: () => ['discover-instances-revision', '--namespace-name', 'golden-http', '--service-name', 'api'] },
    // teardown
    { name: 'deregister-instance-web-3', argv: () => ['deregister-instance', '--service-id', c.srvWeb, '--instance-id', 'i-web-3'], then: opId('opDereg') },
    { name: 'get-operation-deregister-instance', read: true, argv: () => ['get-operation', '--operation-id', c.opDereg] },
    { name: 'list-instances-web-after-deregister', read: true, argv: () => ['list-instances', '--service-id', c.srvWeb] },
    { name: 'deregister-instance-edge-1', argv: () => ['deregister-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-1'] },
    { name: 'deregister-instance-edge-2', argv: () => ['deregister-instance', '--service-id', c.srvEdge, '--instance-id', 'i-edge-2'] },
    { name: 'list-instances-empty', read: true, argv: () => ['list-instances', '--service-id', c.srvEdge] },
    { name: 'delete-service-edge', argv: () => ['delete-service', '--id', c.srvEdge] },
    { name: 'delete-service-pub', argv: () => ['delete-service', '--id', c.srvPub] },
    { name: 'delete-namespace-public', argv: () => ['delete-namespace', '--id', c.nsPub], then: opId('opDelNs') },
    { name: 'get-operation-delete-namespace', read: true, argv: () => ['get-operation', '--operation-id', c.opDelNs] },
    { name: 'list-namespaces-after-delete', read: true, argv: () => ['list-namespaces'] },
    // errors (stdout empty, exit 254)
    { name: 'error-get-namespace-not-found', read: true, expect: 254, argv: () => ['get-namespace', '--id', 'ns-doesnotexist'] },
    { name: 'error-get-service-not-found', read: true, expect: 254, argv: () => ['get-service', '--id', 'srv-doesnotexist'] },
    { name: 'error-get-instance-not-found', read: true, expect: 254, argv: () => ['get-instance', '--service-id', c.srvWeb, '--instance-id', 'i-nope'] },
    { name: 'error-get-operation-not-found', read: true, expect: 254, argv: () => ['get-operation', '--operation-id', 'nope'] },
    // AWS's walk-through (https://docs.aws.amazon.com/cloud-map/latest/dg/getting-started-cli.html)
    { name: 'walkthrough-create-public-dns-namespace', argv: () => ['create-public-dns-namespace', '--name', 'myapp.com'], then: opId('opMyapp') },
    { name: 'walkthrough-get-operation', read: true, argv: () => ['get-operation', '--operation-id', c.opMyapp], then: nsFromOp('nsMyapp') },
    { name: 'walkthrough-create-service', argv: () => ['create-service', '--name', 'frontend', '--namespace-id', c.nsMyapp], then: srvId('srvFrontend') },
    { name: 'walkthrough-register-instance-1', argv: () => ['register-instance', '--service-id', c.srvFrontend, '--instance-id', '1', '--attributes', 'AWS_INSTANCE_IPV4=54.20.10.1,stage=beta,version=1.0,active=yes'] },
    { name: 'walkthrough-register-instance-2', argv: () => ['register-instance', '--service-id', c.srvFrontend, '--instance-id', '2', '--attributes', 'AWS_INSTANCE_IPV4=54.20.10.2,stage=beta,version=2.0,active=no'] },
    { name: 'walkthrough-discover-instances', read: true, argv: () => ['discover-instances', '--namespace-name', 'myapp.com', '--service-name', 'frontend', '--query-parameters', 'version=1.0,active=yes'] },
    { name: 'walkthrough-discover-instances-all', read: true, argv: () => ['discover-instances', '--namespace-name', 'myapp.com', '--service-name', 'frontend'] },
    { name: 'walkthrough-get-namespace', read: true, argv: () => ['get-namespace', '--id', c.nsMyapp] },
  ]
}

// ---------------------------------------------------------------------------------------------------------

function pagesOf(log) {
  return log.map((e) => ({
    operation: e.target.replace(/^Route53AutoNaming_v20170314\./, ''),
    host: e.host,
    request: e.requestBody === '' ? {} : JSON.parse(e.requestBody),
    status: e.status,
    response: e.responseBody,
  }))
}

async function main() {
  if (!existsSync(AWS)) throw new Error(`${AWS} not found (apt-get install -y awscli)`)
  const dataPath = ensureAwsModels()
  if (!dataPath) throw new Error('Python botocore with the servicediscovery model is needed (pip install botocore)')
  process.on('exit', () => rmSync(dataPath, { recursive: true, force: true }))
  const motoPort = await freePort()
  // Its own process group (detached), so the pyenv shim's exec chain is ended with it, by that group's id.
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)], { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  let motoErr = ''
  moto.stderr.on('data', (c) => {
    motoErr += c
    if (motoErr.length > 20000) motoErr = motoErr.slice(-10000)
  })
  const proxy = await startProxy(motoPort)
  const stop = () => {
    proxy.server.close()
    if (moto.exitCode !== null || moto.pid === undefined) return
    try {
      process.kill(-moto.pid, 'SIGTERM')
    } catch {
      moto.kill('SIGTERM')
    }
  }
  process.on('exit', stop)
  try {
    await waitForPort(motoPort)
    const env = awsEnv(dataPath)
    const endpoint = `http://127.0.0.1:${proxy.port}`
    const version = await run(AWS, ['--version'], env)

    mkdirSync(OUT, { recursive: true })
    if (!KEEP) for (const f of readdirSync(OUT)) if (/^\d\d-.*\.json$/.test(f)) rmSync(join(OUT, f))

    const steps = scenario()
    let n = 0
    const problems = []
    for (const step of steps) {
      n++
      const argv = step.argv()
      if (argv.some((a) => a === undefined)) throw new Error(`step ${step.name}: an id it needs was not captured`)
      const formats = step.read ? FORMATS : ['json']
      const fixture = {
        command: argv,
        operation: '',
        pages: [],
        stdout: {},
        stderr: '',
        exitCode: 0,
      }
      const pagesByFormat = {}
      for (const format of formats) {
        proxy.log.length = 0
        const r = await run(AWS, ['servicediscovery', ...argv, '--endpoint-url', endpoint, ...(format === 'json' ? [] : ['--output', format])], env)
        const pages = pagesOf(proxy.log)
        if (format === 'json') {
          fixture.pages = pages
          fixture.operation = pages[0]?.operation ?? ''
          fixture.stderr = r.stderr
          fixture.exitCode = r.exitCode
          const expected = step.expect ?? 0
          if (r.exitCode !== expected) problems.push(`${step.name}: exit ${r.exitCode} (expected ${expected}): ${r.stderr.trim()}`)
          if (step.then && r.exitCode === 0) step.then(r.stdout)
        } else {
          const same = JSON.stringify(pages.map((p) => [p.request, p.response])) === JSON.stringify(fixture.pages.map((p) => [p.request, p.response]))
          if (!same) pagesByFormat[format] = pages
          if (r.exitCode !== fixture.exitCode) problems.push(`${step.name} --output ${format}: exit ${r.exitCode}: ${r.stderr.trim()}`)
          if (r.exitCode !== 0) fixture[`stderr_${format}`] = r.stderr
        }
        fixture.stdout[format] = r.stdout
      }
      if (Object.keys(pagesByFormat).length) fixture.pagesByFormat = pagesByFormat
      const file = `${String(n).padStart(2, '0')}-${step.name}.json`
      writeFileSync(join(OUT, file), `${JSON.stringify(fixture, null, 2)}\n`)
      console.error(`${file}  ${fixture.operation}  pages=${fixture.pages.length} exit=${fixture.exitCode}${fixture.pagesByFormat ? '  (responses differ between formats)' : ''}`)
    }
    writeFileSync(
      join(OUT, 'README.md'),
      [
        '# Golden fixtures',
        '',
        'Recorded by `node scripts/record-goldens.mjs` (do not edit by hand): the real AWS CLI v2 (`/usr/bin/aws`,',
        `\`${version.stdout.trim()}\`) with the 30-operation servicediscovery model (AWS_DATA_PATH, botocore's model),`,
        'against moto_server through a recording proxy. Environment: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
        'AWS_DEFAULT_REGION=us-east-1 AWS_PAGER= TZ=UTC, stdout a pipe (tables 80 columns wide).',
        '',
        'One file per command, in scenario order (later commands see the state earlier ones made):',
        '',
        '- `command`: the argv after `aws servicediscovery` (the same argv works for `cloudmap`), without',
        '  `--endpoint-url` and `--output`;',
        '- `operation`: the API operation;',
        '- `pages`: every HTTP request the AWS CLI made, in order: `request` (the JSON body sent), `response` (the',
        '  raw response body text), `status`, `host` (the Host header);',
        '- `stdout`: the AWS CLI\'s stdout for each `--output` format (read-only commands: json, text, table, yaml,',
        '  yaml-stream; writes: json only, as a re-run would change the state);',
        '- `stderr`, `exitCode`: of the json run (error fixtures: the 2.9.19 stderr wording).',
        '- `pagesByFormat` (only when present): the pages of a format run whose responses differed from the json run.',
        '',
      ].join('\n'),
    )
    console.error(`${n} fixtures written to ${OUT}`)
    if (problems.length) {
      console.error(`problems:\n  ${problems.join('\n  ')}`)
      process.exitCode = 1
    }
  } catch (e) {
    console.error(motoErr.slice(-3000))
    throw e
  } finally {
    stop()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
