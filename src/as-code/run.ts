import { readFileSync } from 'node:fs'
import type { Settings } from '../cli/settings.js'
import { resolveSettings } from '../cli/settings.js'
import { describeError } from '../cli/report-error.js'
import { backendArgs, CommandUsageError, describeFailure } from '../config/command-support.js'
import { absolutePath } from '../config/keys.js'
import { createRegistry } from '../registry/create-registry.js'
import { CloudmapError, EXIT_CANCELLED, EXIT_CODES } from '../registry/errors.js'
import type { Registry } from '../registry/registry.js'
import { ApplyStopped, executeChanges } from './apply.js'
import type { DocumentFormat, RegistryDocument } from './document.js'
import { DocumentError, renderDocument } from './document.js'
import { exportRegistry } from './export.js'
import type { Change, Plan } from './plan.js'
import { planChanges, summarise, target } from './plan.js'
import { readDocument } from './validate.js'

/** The backend options every registry-as-code command takes, as for the operation commands. */
export interface BackendFlags {
  registry?: string
  'endpoint-url'?: string
  region?: string
  profile?: string
  'no-sign-request'?: boolean
  color?: string
}

export interface AsCodeIO {
  env: NodeJS.ProcessEnv
  stdinIsTTY: boolean
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  out(text: string): void
  err(text: string): void
  /** Standard input (apply -f -). */
  readStdin(): Promise<string>
  /** Ask a yes/no question on the terminal (default: @inquirer/prompts). */
  confirm?(message: string): Promise<boolean>
  /** A progress bar on the terminal (default: cli-progress on stderr). */
  progress?(total: number): Promise<{ tick(): void; stop(): void }>
  /** Ctrl-C (default: process SIGINT). Returns a function that stops listening. */
  onInterrupt?(handler: () => void): () => void
  pollIntervalMs?: number
  /** The backend for settings (default: createRegistry); tests wrap it to make calls fail. */
  openRegistry?(settings: Settings): Promise<Registry>
}

export const EXIT_DIFFERENT = 1

/** Changes at least this many show a progress bar (on a terminal). */
const PROGRESS_FROM = 50
/** Calls in flight: a local registry commits up to 64 queued writes at once; remote endpoints get fewer. */
const LOCAL_CONCURRENCY = 64
const REMOTE_CONCURRENCY = 8

function settingsOf(flags: BackendFlags, env: NodeJS.ProcessEnv): Settings {
  const args = backendArgs(flags)
  if (flags.color !== undefined) args.set('color', flags.color)
  return resolveSettings(args, env)
}

export function describeBackend(settings: Settings): string {
  if (!settings.remote) return `the local registry ${settings.registryPath}`
  return settings.endpointUrl ?? `AWS Cloud Map in ${settings.region}`
}

/** Run a command body with its registries closed afterwards and every failure turned into stderr + exit code. */
async function guarded(command: string, io: AsCodeIO, body: (open: (s: Settings) => Promise<Registry>) => Promise<number>): Promise<number> {
  const opened: Registry[] = []
  let lastOperation = ''
  try {
    return await body(async (settings) => {
      const registry = await (io.openRegistry ?? createRegistry)(settings)
      opened.push(registry)
      return {
        invoke: (op, input) => {
          lastOperation = op
          return registry.invoke(op, input)
        },
        close: () => registry.close(),
      }
    })
  } catch (error) {
    if (error instanceof CloudmapError && error.kind === 'service') {
      const { stderr, exitCode } = describeError(error, lastOperation)
      io.err(stderr)
      return exitCode
    }
    if (error instanceof DocumentError) {
      io.err(`\ncloudmap: [ERROR]: ${error.message}\n`)
      return EXIT_CODES.usage
    }
    const { stderr, exitCode } = describeFailure(error, command)
    io.err(stderr)
    return exitCode
  } finally {
    await Promise.all(opened.map((r) => r.close()))
  }
}

// --- export ---------------------------------------------------------------------------------------------

export interface ExportFlags extends BackendFlags {
  output?: string
  'namespace-name'?: string[]
}

/** `cloudmap export`: the backend as a document on stdout. */
export function runExport(flags: ExportFlags, io: AsCodeIO): Promise<number> {
  return guarded('export', io, async (open) => {
    const format = documentFormat(flags.output)
    const registry = await open(settingsOf(flags, io.env))
    const { document } = await exportRegistry(registry, flags['namespace-name'], io.err)
    io.out(renderDocument(document, format))
    return 0
  })
}

function documentFormat(output: string | undefined): DocumentFormat {
  if (output === undefined || output === 'yaml') return 'yaml'
  if (output === 'json') return 'json'
  throw new CommandUsageError(`--output must be yaml or json, not "${output}"`)
}

async function readSource(file: string, io: AsCodeIO): Promise<{ text: string; source: string }> {
  if (file === '-') return { text: await io.readStdin(), source: '(standard input)' }
  try {
    return { text: readFileSync(file, 'utf8'), source: file }
  } catch (error) {
    throw new CommandUsageError(`Could not read the document ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
}

// --- apply ----------------------------------------------------------------------------------------------

export interface ApplyFlags extends BackendFlags {
  file: string
  yes?: boolean
  'dry-run'?: boolean
  prune?: boolean
}

/**
 * `cloudmap apply -f FILE`: check the document, plan against the backend, show the plan, ask (on a
 * terminal), then carry it out. Exit 0 when the backend matches the document afterwards.
 */
export function runApply(flags: ApplyFlags, io: AsCodeIO): Promise<number> {
  return guarded('apply', io, async (open) => {
    const { text, source } = await readSource(flags.file, io)
    const document = readDocument(text, source)
    const settings = settingsOf(flags, io.env)
    const registry = await open(settings)
    const snapshot = await exportRegistry(registry, Object.keys(document.Namespaces), io.err)
    const plan = planChanges(snapshot, document, { prune: flags.prune === true })
    if (plan.impossible.length > 0) {
      io.err(`\ncloudmap: [ERROR]: ${describeBackend(settings)} can't be made to match ${source} in place; nothing was changed:\n${plan.impossible.map((i) => `  ${i.path}: ${i.reason}`).join('\n')}\n`)
      return EXIT_CODES.usage
    }
    if (plan.changes.length === 0) {
      io.out(`No changes: ${describeBackend(settings)} already matches ${source}.\n`)
      return 0
    }
    io.out(`Plan for ${describeBackend(settings)}:\n\n${await renderPlan(plan, io.stdoutIsTTY)}\n${planTotals(plan.changes)}\n`)
    if (flags['dry-run']) return 0
    if (!flags.yes) {
      if (!io.stdinIsTTY || flags.file === '-') {
        throw new CommandUsageError('apply asks before changing anything, but standard input is not a terminal: add --yes to apply the plan (or --dry-run to only show it).')
      }
      const confirm = io.confirm ?? inquirerConfirm
      let yes: boolean
      try {
        yes = await confirm(`Apply these ${plan.changes.length} changes to ${describeBackend(settings)}?`)
      } catch (error) {
        if (error instanceof Error && error.name === 'ExitPromptError') yes = false
        else throw error
      }
      if (!yes) {
        io.err('Cancelled: nothing was changed.\n')
        return EXIT_CANCELLED
      }
    }
    return carryOut(registry, snapshot.index, plan, settings, io)
  })
}

async function inquirerConfirm(message: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts')
  return confirm({ message, default: false })
}

async function carryOut(registry: Registry, index: Parameters<typeof executeChanges>[1], plan: Plan, settings: Settings, io: AsCodeIO): Promise<number> {
  let interrupted = false
  const stopListening = (io.onInterrupt ?? defaultInterrupt)(() => {
    if (!interrupted) io.err('\nInterrupted: finishing the calls in flight, then stopping…\n')
    interrupted = true
  })
  const bar = io.stderrIsTTY && plan.changes.length >= PROGRESS_FROM ? await (io.progress ?? cliProgress)(plan.changes.length) : undefined
  try {
    await executeChanges(registry, index, plan.changes, {
      concurrency: settings.remote ? REMOTE_CONCURRENCY : LOCAL_CONCURRENCY,
      interrupted: () => interrupted,
      done: () => bar?.tick(),
      pollIntervalMs: io.pollIntervalMs,
    })
    bar?.stop()
    io.out(`Applied: ${planTotals(plan.changes, 'past')}\n`)
    return 0
  } catch (error) {
    bar?.stop()
    if (!(error instanceof ApplyStopped)) throw error
    let exitCode = EXIT_CANCELLED
    if (error.failure) {
      const described = describeError(error.failure.error, error.failure.operation)
      io.err(`\nStopped at: ${error.failure.change.action} ${error.failure.change.resource} ${target(error.failure.change)}${described.stderr}`)
      exitCode = described.exitCode
    } else io.err('\nStopped (interrupted).\n')
    io.err(`\nDone (${error.done.length}):\n${listing(error.done)}\nNot done (${error.notDone.length}):\n${listing(error.notDone)}\nRun the same cloudmap apply again to finish: it plans only what is left.\n`)
    return exitCode
  } finally {
    stopListening()
  }
}

function listing(changes: readonly Change[]): string {
  if (changes.length === 0) return '  (nothing)\n'
  return summarise(changes)
    .map((r) => `  ${r.action} ${r.resource} ${r.target}${r.detail ? ` (${r.detail})` : ''}\n`)
    .join('')
}

function defaultInterrupt(handler: () => void): () => void {
  process.on('SIGINT', handler)
  return () => process.off('SIGINT', handler)
}

async function cliProgress(total: number): Promise<{ tick(): void; stop(): void }> {
  const { default: progress } = await import('cli-progress')
  const bar = new progress.SingleBar({ stream: process.stderr, format: 'applying [{bar}] {value}/{total} changes ({eta}s left)', hideCursor: true }, progress.Presets.shades_classic)
  bar.start(total, 0)
  return { tick: () => bar.increment(), stop: () => bar.stop() }
}

const VERBS: Record<string, [string, string]> = {
  create: ['to create', 'created'],
  update: ['to update', 'updated'],
  tag: ['to tag', 'tagged'],
  register: ['to register', 'registered'],
  deregister: ['to deregister', 'deregistered'],
  delete: ['to delete', 'deleted'],
}

function planTotals(changes: readonly Change[], tense: 'plan' | 'past' = 'plan'): string {
  const counts = new Map<string, number>()
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1)
  const parts = Object.keys(VERBS)
    .filter((a) => counts.has(a))
    .map((a) => `${counts.get(a)} ${VERBS[a][tense === 'plan' ? 0 : 1]}`)
  return `${tense === 'plan' ? 'Plan: ' : ''}${parts.join(', ')}.`
}

/** The plan: a table (cli-table3) on a terminal, one line per row otherwise (logs, pipes). */
export async function renderPlan(plan: Plan, table: boolean): Promise<string> {
  const rows = summarise(plan.changes)
  if (!table) return rows.map((r) => `  ${r.action.padEnd(10)} ${r.resource.padEnd(19)} ${r.target}${r.detail ? `  ${r.detail}` : ''}\n`).join('')
  const { default: Table } = await import('cli-table3')
  const t = new Table({ head: ['action', 'resource', 'name', 'details'], style: { head: [], border: [] }, wordWrap: true })
  for (const r of rows) t.push([r.action, r.resource, r.target, r.detail])
  return `${t.toString()}\n`
}

// --- diff -----------------------------------------------------------------------------------------------

export interface DiffFlags extends BackendFlags {
  file?: string
  'from-endpoint'?: string
  'from-registry'?: string
  'namespace-name'?: string[]
}

/**
 * `cloudmap diff`: a unified diff of two exports — the backend against a document (-f), or another
 * backend (--from-endpoint, --from-registry) against this one. Exit 0 when equal, 1 when not, like diff.
 */
export function runDiff(flags: DiffFlags, io: AsCodeIO): Promise<number> {
  return guarded('diff', io, async (open) => {
    const sources = (['file', 'from-endpoint', 'from-registry'] as const).filter((k) => flags[k] !== undefined)
    if (sources.length !== 1) throw new CommandUsageError('diff compares with one thing: give -f FILE, --from-endpoint URL or --from-registry PATH.')
    const settings = settingsOf(flags, io.env)
    const only = flags['namespace-name']
    let before: { label: string; document: RegistryDocument }
    let after: { label: string; document: RegistryDocument }
    if (flags.file !== undefined) {
      const { text, source } = await readSource(flags.file, io)
      const wanted = readDocument(text, source)
      const names = Object.keys(wanted.Namespaces).filter((n) => only === undefined || only.includes(n))
      const current = await exportRegistry(await open(settings), names, io.err)
      // The VPC of a private namespace is only an input: Cloud Map never reports it back.
      const document: RegistryDocument = { Namespaces: Object.fromEntries(names.map((n) => [n, { ...wanted.Namespaces[n], Vpc: undefined }])) }
      before = { label: describeBackend(settings), document: current.document }
      after = { label: source, document }
    } else {
      const from: Settings =
        flags['from-registry'] !== undefined
          ? { ...settings, remote: false, endpointUrl: undefined, registryPath: absolutePath(flags['from-registry']) }
          : { ...settings, remote: true, endpointUrl: flags['from-endpoint'] }
      before = { label: describeBackend(from), document: (await exportRegistry(await open(from), only, io.err)).document }
      after = { label: describeBackend(settings), document: (await exportRegistry(await open(settings), only, io.err)).document }
    }
    const a = renderDocument(before.document, 'yaml')
    const b = renderDocument(after.document, 'yaml')
    if (a === b) return 0
    const { createTwoFilesPatch } = await import('diff')
    // As diff -u prints it: without jsdiff's "=====" separator line.
    const patch = createTwoFilesPatch(before.label, after.label, a, b, undefined, undefined, { context: 3 }).replace(/^=+\n/, '')
    const colour = settings.color === 'on' || (settings.color === 'auto' && io.stdoutIsTTY)
    io.out(colour ? colourise(patch) : patch)
    return EXIT_DIFFERENT
  })
}

/** git's colours: file headers bold, hunk headers cyan, removals red, additions green. */
function colourise(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return `\x1b[1m${line}\x1b[0m`
      if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[0m`
      if (line.startsWith('-')) return `\x1b[31m${line}\x1b[0m`
      if (line.startsWith('+')) return `\x1b[32m${line}\x1b[0m`
      return line
    })
    .join('\n')
}
