#!/usr/bin/env node
// Generates src/model/servicediscovery.ts (runtime operation table and shapes) and
// src/model/api-types.ts (TypeScript types of every input/output shape) from botocore's
// AWS Cloud Map model. The model is Apache-2.0 (aws/botocore); we take names, types and
// constraints from it, and one line of help per operation in our own words (SUMMARIES below).
// src/model/help-docs.ts carries the model's documentation of each operation and of each of its
// parameters as plain text, for `cloudmap CMD --help` (as `aws servicediscovery CMD help` shows it);
// it is loaded only when help is printed.
// MEMBER_DOCS is the first sentence of the model's documentation of every member
// reachable from an operation's input, which `--generate-cli-skeleton yaml-input` prints as comments
// exactly as the AWS CLI does (awscli/customizations/utils.py get_shape_doc_overview: XML stripped,
// cut at the first '.' or ':', '.' put back, line breaks as spaces). They are facts of the model,
// reproduced for that skeleton.
//
//   node scripts/gen-model.mjs [path/to/service-2.json(.gz)]
// Without an argument the model is read from the botocore package of `python3`.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** One line of help per operation, in our own words. */
const SUMMARIES = {
  CreateHttpNamespace: 'Create a namespace whose services are found only through the DiscoverInstances API (no DNS).',
  CreatePrivateDnsNamespace: 'Create a namespace whose instances are also resolvable by DNS inside one VPC.',
  CreatePublicDnsNamespace: 'Create a namespace whose instances are also resolvable by public DNS.',
  CreateService: 'Create a service in a namespace: its DNS records and health check settings.',
  DeleteNamespace: 'Delete a namespace that no longer holds any service.',
  DeleteService: 'Delete a service that no longer holds any instance.',
  DeleteServiceAttributes: 'Remove attributes from a service by key.',
  DeregisterInstance: 'Remove an instance from a service.',
  DiscoverInstances: 'Find the instances of a service by namespace and service name, filtered by attributes and health.',
  DiscoverInstancesRevision: 'Show the revision of a service\'s instance set, which changes whenever instances change.',
  GetInstance: 'Show one instance of a service.',
  GetInstancesHealthStatus: 'Show the health status of the instances of a service.',
  GetNamespace: 'Show one namespace.',
  GetOperation: 'Show the status of an asynchronous operation.',
  GetService: 'Show one service.',
  GetServiceAttributes: 'Show the attributes of a service.',
  ListInstances: 'List the instances of a service.',
  ListNamespaces: 'List the namespaces of the account.',
  ListOperations: 'List asynchronous operations, optionally filtered.',
  ListServices: 'List services, optionally filtered by namespace.',
  ListTagsForResource: 'List the tags of a namespace or service.',
  RegisterInstance: 'Add an instance to a service, or update it if its id is already registered.',
  TagResource: 'Add or overwrite tags on a namespace or service.',
  UntagResource: 'Remove tags from a namespace or service.',
  UpdateHttpNamespace: 'Change the description of an HTTP namespace.',
  UpdateInstanceCustomHealthStatus: 'Set the custom health status of an instance (services with a custom health check).',
  UpdatePrivateDnsNamespace: 'Change the description or SOA TTL of a private DNS namespace.',
  UpdatePublicDnsNamespace: 'Change the description or SOA TTL of a public DNS namespace.',
  UpdateService: 'Change a service\'s description, DNS record TTLs or health check settings.',
  UpdateServiceAttributes: 'Add or change attributes of a service.',
}

function modelDir() {
  const botocore = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__), botocore.__version__)'], { encoding: 'utf8' }).trim().split(' ')
  return { dir: join(botocore[0], 'data/servicediscovery/2017-03-14'), version: botocore[1] }
}

const { dir, version } = modelDir()
const modelPath = process.argv[2] ?? join(dir, 'service-2.json.gz')
const raw = readFileSync(modelPath)
const model = JSON.parse((modelPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'))
const paginators = JSON.parse(readFileSync(join(dirname(modelPath), 'paginators-1.json'), 'utf8')).pagination
const extras = JSON.parse(readFileSync(join(dirname(modelPath), 'paginators-1.sdk-extras.json'), 'utf8')).merge.pagination

/** botocore's xform_name: 'CreateService' -> 'create-service', 'ResourceARN' -> 'resource-arn'. */
function xformName(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}

const shapes = {}
for (const [name, s] of Object.entries(model.shapes)) {
  const out = { type: s.type }
  if (s.type === 'structure') {
    out.members = Object.fromEntries(Object.entries(s.members).map(([m, ref]) => [m, ref.shape]))
    if (s.required?.length) out.required = s.required
    const tokens = Object.entries(s.members).filter(([, ref]) => ref.idempotencyToken).map(([m]) => m)
    if (tokens.length) out.idempotencyTokens = tokens
    if (s.exception) out.exception = true
  }
  if (s.type === 'list') out.member = s.member.shape
  if (s.type === 'map') { out.key = s.key.shape; out.value = s.value.shape }
  for (const k of ['min', 'max', 'pattern', 'enum']) if (s[k] !== undefined) out[k] = s[k]
  shapes[name] = out
}

const operations = Object.values(model.operations).map((op) => {
  if (!SUMMARIES[op.name]) throw new Error(`no summary written for ${op.name}`)
  const spec = {
    name: op.name,
    cliName: xformName(op.name),
    input: op.input.shape,
    // UpdateInstanceCustomHealthStatus has no output shape: its response is empty.
    output: op.output?.shape ?? null,
    errors: (op.errors ?? []).map((e) => e.shape),
    summary: SUMMARIES[op.name],
  }
  if (op.endpoint?.hostPrefix) spec.hostPrefix = op.endpoint.hostPrefix
  const p = paginators[op.name]
  if (p) {
    spec.paginator = { inputToken: p.input_token, outputToken: p.output_token, limitKey: p.limit_key, resultKey: p.result_key }
    const nonAggregate = extras[op.name]?.non_aggregate_keys
    if (nonAggregate) spec.paginator.nonAggregateKeys = nonAggregate
  }
  return spec
})

/**
 * The documentation a member shows (botocore merges the member reference's traits over its shape:
 * the reference's own documentation wins), for every structure reachable from an operation's input.
 */
function inputMemberDocs() {
  const raw = {}
  const seen = new Set()
  const visit = (name) => {
    if (seen.has(name)) return
    seen.add(name)
    const s = model.shapes[name]
    if (s.type === 'list') return visit(s.member.shape)
    if (s.type === 'map') return visit(s.value.shape)
    if (s.type !== 'structure') return
    for (const [member, ref] of Object.entries(s.members)) {
      raw[`${name}\u0000${member}`] = 'documentation' in ref ? ref.documentation : (model.shapes[ref.shape].documentation ?? '')
      visit(ref.shape)
    }
  }
  for (const op of Object.values(model.operations)) if (op.input) visit(op.input.shape)
  // The text of the documentation without its XML markup, as xml.dom.minidom reads it (a document that is
  // not well-formed XML is kept as written). Python's expat decides well-formedness, so Python strips it.
  const stripped = JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        [
          'import json, sys, xml.dom.minidom, xml.parsers.expat',
          'def texts(node, out):',
          '    for child in node.childNodes:',
          '        if child.nodeType == child.TEXT_NODE: out.append(child.data)',
          '        else: texts(child, out)',
          'result = {}',
          'for key, doc in json.load(sys.stdin).items():',
          '    try: dom = xml.dom.minidom.parseString("<doc>%s</doc>" % doc)',
          '    except xml.parsers.expat.ExpatError: result[key] = doc; continue',
          '    out = []; texts(dom, out); result[key] = "".join(out)',
          'json.dump(result, sys.stdout)',
        ].join('\n'),
      ],
      { input: JSON.stringify(raw), encoding: 'utf8' },
    ),
  )
  const docs = {}
  for (const [key, text] of Object.entries(stripped)) {
    const [structure, member] = key.split('\u0000')
    let sentence = text.split(/[.:]+/)[0]
    if (sentence) sentence += '.'
    ;(docs[structure] ??= {})[member] = sentence.replaceAll('\n', ' ').replaceAll('\u2028', ' ')
  }
  return Object.fromEntries(Object.keys(docs).sort().map((k) => [k, docs[k]]))
}

const header = `// GENERATED by scripts/gen-model.mjs from botocore ${version}'s servicediscovery 2017-03-14 model
// (aws/botocore, Apache-2.0). Do not edit: change the generator and run \`npm run gen:model\`.
`
writeFileSync(join(root, 'src/model/servicediscovery.ts'), `${header}
import type { OperationSpec, Shape } from './types.js'

export const SERVICE = ${JSON.stringify({ targetPrefix: model.metadata.targetPrefix, apiVersion: model.metadata.apiVersion, endpointPrefix: model.metadata.endpointPrefix, serviceFullName: model.metadata.serviceFullName }, null, 2)} as const

export const SHAPES: Record<string, Shape> = ${JSON.stringify(shapes, null, 2)}

export const OPERATIONS = ${JSON.stringify(operations, null, 2)} as const satisfies readonly OperationSpec[]

export type OperationName = (typeof OPERATIONS)[number]['name']

/**
 * First sentence of the model's documentation of each input member, by structure and member (see the
 * generator): the comments of \`--generate-cli-skeleton yaml-input\`, nothing else.
 */
export const MEMBER_DOCS: Record<string, Record<string, string>> = ${JSON.stringify(inputMemberDocs(), null, 2)}
`)

/**
 * The model's documentation (HTML) as plain text: one paragraph a line, list items as `- ` (two spaces
 * more per nesting level), <note> and <important> as `Note:` / `Important:` paragraphs, markup and links
 * reduced to their text. Python's html.parser reads the markup as the model's own tools do.
 */
function plainDocs(docs) {
  return JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        [
          'import json, sys, html.parser',
          'BLOCKS = {"p", "div", "dl", "dt", "dd", "br", "h1", "h2", "h3", "h4", "li", "note", "important", "ul", "ol"}',
          'class Text(html.parser.HTMLParser):',
          '    def __init__(self):',
          '        super().__init__(convert_charrefs=True); self.lines = []; self.words = []; self.depth = 0; self.prefix = ""',
          '    def flush(self):',
          '        text = " ".join("".join(self.words).split()); self.words = []',
          '        if text: self.lines.append(self.prefix + text); self.prefix = "  " * self.depth if self.depth else ""',
          '    def handle_starttag(self, tag, attrs):',
          '        if tag not in BLOCKS: return',
          '        self.flush()',
          '        if tag in ("ul", "ol"): self.depth += 1; self.prefix = ""',
          '        elif tag == "li": self.prefix = "  " * (self.depth - 1) + "- "',
          '        elif tag == "note": self.prefix = "Note: "',
          '        elif tag == "important": self.prefix = "Important: "',
          '    def handle_endtag(self, tag):',
          '        if tag not in BLOCKS: return',
          '        self.flush()',
          '        if tag in ("ul", "ol"): self.depth -= 1',
          '        if tag in ("ul", "ol", "li", "note", "important"): self.prefix = "  " * self.depth if self.depth else ""',
          '    def handle_data(self, data): self.words.append(data)',
          'def plain(doc):',
          '    t = Text(); t.feed(doc); t.close(); t.flush(); return "\\n".join(t.lines)',
          'json.dump({k: plain(v) for k, v in json.load(sys.stdin).items()}, sys.stdout)',
        ].join('\n'),
      ],
      { input: JSON.stringify(docs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    ),
  )
}

/** Per operation: its documentation and that of each input member (the member reference's own wins). */
function helpDocs() {
  const raw = {}
  for (const op of Object.values(model.operations)) {
    raw[op.name] = op.documentation ?? ''
    for (const [member, ref] of Object.entries(model.shapes[op.input.shape].members)) {
      raw[`${op.name}\u0000${member}`] = 'documentation' in ref ? ref.documentation : (model.shapes[ref.shape].documentation ?? '')
    }
  }
  const text = plainDocs(raw)
  const docs = {}
  for (const op of Object.values(model.operations)) {
    docs[op.name] = { operation: text[op.name], members: Object.fromEntries(Object.keys(model.shapes[op.input.shape].members).map((m) => [m, text[`${op.name}\u0000${m}`]])) }
  }
  return docs
}

writeFileSync(join(root, 'src/model/help-docs.ts'), `${header}
/**
 * The model's documentation of each operation and of each of its parameters, in plain text (one paragraph
 * a line, list items as \`- \`): what \`cloudmap CMD --help\` shows. Imported only by the help class.
 */
export const HELP_DOCS: Record<string, { operation: string; members: Record<string, string> }> = ${JSON.stringify(helpDocs(), null, 2)}
`)

// TypeScript types for the shapes; long 'Revision' is a bigint because AWS's values exceed 2^53.
function tsType(shapeName) {
  const s = shapes[shapeName]
  switch (s.type) {
    case 'string': return s.enum ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string'
    case 'integer': return 'number'
    case 'long': return shapeName === 'Revision' ? 'bigint' : 'number'
    case 'timestamp': return 'Date'
    case 'list': return `${typeRef(s.member)}[]`
    case 'map': return `Record<${typeRef(s.key)}, ${typeRef(s.value)}>`
    case 'structure': return shapeName
    default: throw new Error(`unknown shape type ${s.type}`)
  }
}
function typeRef(shapeName) {
  const s = shapes[shapeName]
  return s.type === 'structure' || (s.type === 'string' && s.enum) ? shapeName : tsType(shapeName)
}
let types = `${header}/* eslint-disable */\n`
for (const [name, s] of Object.entries(shapes)) {
  if (s.exception) continue
  if (s.type === 'structure') {
    const req = new Set(s.required ?? [])
    types += `export interface ${name} {\n${Object.entries(s.members).map(([m, ref]) => `  ${m}${req.has(m) ? '' : '?'}: ${typeRef(ref)}\n`).join('')}}\n`
  } else if (s.type === 'string' && s.enum) {
    types += `export type ${name} = ${tsType(name)}\n`
  }
}
types += `\nexport interface OperationMap {\n${operations.map((o) => `  ${o.name}: { input: ${o.input}; output: ${o.output ?? 'Record<string, never>'} }\n`).join('')}}\n`
writeFileSync(join(root, 'src/model/api-types.ts'), types)
console.log(`wrote ${operations.length} operations, ${Object.keys(shapes).length} shapes`)
