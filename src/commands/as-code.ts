import { Command, Flags } from '@oclif/core'
import { BACKEND_FLAGS } from '../cli/own-flags.js'

// `cloudmap export | apply | diff` (registry as code). Only @oclif/core loads with the command table: the
// work is in src/as-code/, imported inside run(), so other commands do not pay for it (nor for ajv,
// yaml, diff, cli-table3, cli-progress or @inquirer/prompts).

/**
 * The backend options, worded as the operation commands (and run, watch) word them; spelled out here,
 * not made by oclifFlags, so that this.parse() types them.
 */
const backend = (name: keyof typeof BACKEND_FLAGS) => ({ description: BACKEND_FLAGS[name].description, helpValue: BACKEND_FLAGS[name].helpValue })
const backendFlags = {
  registry: Flags.string(backend('registry')),
  'endpoint-url': Flags.string(backend('endpoint-url')),
  region: Flags.string(backend('region')),
  profile: Flags.string(backend('profile')),
  'no-sign-request': Flags.boolean({ description: BACKEND_FLAGS['no-sign-request'].description }),
  color: Flags.string({ description: 'Colour output.', options: ['on', 'off', 'auto'] }),
}

const namespaceFlag = Flags.string({ description: 'Only this namespace (repeatable).', multiple: true, helpValue: 'NAME' })

function io() {
  return {
    env: process.env,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  }
}

async function parseFailed(error: unknown, command: string): Promise<void> {
  ;(await import('../config/command-support.js')).reportFailure(error, command)
}

export class Export extends Command {
  static override id = 'export'
  static override summary = 'Print the registry as a document (YAML or JSON) keyed by name: namespaces, services, instances.'
  static override description =
    'Reads the chosen backend (the local registry, or --endpoint-url) and prints its namespaces (type, description, SOA TTL, tags), services (description, DNS records, health checks, service attributes, tags) and instances (attributes), keyed by name and sorted, so the document diffs well in git. Its JSON Schema is schema/registry-document.schema.json. cloudmap apply -f makes any backend match it.'
  static override flags = {
    ...backendFlags,
    output: Flags.string({ description: 'The document format.', options: ['yaml', 'json'], default: 'yaml' }),
    'namespace-name': namespaceFlag,
  }
  static override examples = [
    { description: 'Keep the local registry in git:', command: '<%= config.bin %> export > registry.yaml' },
    { description: 'An offline copy of an AWS account:', command: '<%= config.bin %> export --profile prod --region eu-west-1 --endpoint-url https://servicediscovery.eu-west-1.amazonaws.com > prod.yaml' },
  ]

  async run(): Promise<void> {
    let flags
    try {
      flags = (await this.parse(Export)).flags
    } catch (error) {
      return parseFailed(error, 'export')
    }
    const { runExport } = await import('../as-code/run.js')
    process.exitCode = await runExport(flags, io())
  }
}

export class Apply extends Command {
  static override id = 'apply'
  static override summary = 'Make the backend match a registry document: show the plan, confirm, then create, update, register (and with --prune remove).'
  static override description =
    'Checks the whole document first (schema, unknown keys, duplicate names, values AWS would refuse) and changes nothing when it is not valid. Then prints the plan, asks for confirmation on a terminal (--yes for scripts, --dry-run to stop after the plan) and carries it out in dependency order, waiting for asynchronous operations. Services and instances the document leaves out are kept unless --prune; namespaces are never deleted. A second apply of the same document changes nothing. A failure stops at that step and lists what was done and what was not: run the same apply again to finish. What AWS cannot change in place (a namespace\'s type, a service\'s DNS record types or routing policy, custom health checks) is reported, never recreated.'
  static override flags = {
    ...backendFlags,
    file: Flags.string({ char: 'f', description: 'The document (YAML or JSON); - reads standard input.', required: true, helpValue: 'FILE' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask: apply the plan.' }),
    'dry-run': Flags.boolean({ description: 'Only print the plan.' }),
    prune: Flags.boolean({ description: "Also remove services and instances of the document's namespaces that the document leaves out." }),
  }
  static override examples = [
    { description: 'Seed a CI registry from a file kept in git:', command: '<%= config.bin %> apply -f registry.yaml --yes --registry ./ci-registry.json' },
    { description: 'See what would change on moto:', command: '<%= config.bin %> apply -f registry.yaml --dry-run --endpoint-url http://127.0.0.1:5000' },
  ]

  async run(): Promise<void> {
    let flags
    try {
      flags = (await this.parse(Apply)).flags
    } catch (error) {
      return parseFailed(error, 'apply')
    }
    const { runApply } = await import('../as-code/run.js')
    process.exitCode = await runApply(flags, io())
  }
}

export class Diff extends Command {
  static override id = 'diff'
  static override summary = 'Show how the backend differs from a registry document or from another backend (unified diff; exit 1 when different).'
  static override description =
    "With -f FILE: the backend's export (of the document's namespaces) against the document, so + lines are what apply would make. With --from-endpoint URL or --from-registry PATH: that backend's export against this one's. Exit 0 when equal, 1 when different, as diff(1)."
  static override flags = {
    ...backendFlags,
    file: Flags.string({ char: 'f', description: 'A registry document (YAML or JSON); - reads standard input.', helpValue: 'FILE' }),
    'from-endpoint': Flags.string({ description: 'Compare a remote endpoint with this backend.', helpValue: 'URL' }),
    'from-registry': Flags.string({ description: 'Compare a local registry file with this backend.', helpValue: 'PATH' }),
    'namespace-name': namespaceFlag,
  }
  static override examples = [
    '<%= config.bin %> diff -f registry.yaml',
    '<%= config.bin %> diff --from-registry ./staging.json --endpoint-url http://127.0.0.1:4566',
  ]

  async run(): Promise<void> {
    let flags
    try {
      flags = (await this.parse(Diff)).flags
    } catch (error) {
      return parseFailed(error, 'diff')
    }
    const { runDiff } = await import('../as-code/run.js')
    process.exitCode = await runDiff(flags, io())
  }
}
