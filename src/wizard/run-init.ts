import type { Settings } from '../cli/settings.js'
import { resolveSettings } from '../cli/settings.js'
import { CommandUsageError, describeFailure, flagMap } from '../config/command-support.js'
import { DEFAULT_PROFILE } from '../config/file.js'
import { absolutePath, PROFILE_NAME } from '../config/keys.js'
import { selectProfile } from '../config/resolve.js'
import { describeError } from '../cli/report-error.js'
import { operationSpec } from '../model/index.js'
import { createRegistry } from '../registry/create-registry.js'
import { EXIT_CANCELLED } from '../registry/errors.js'
import type { Registry } from '../registry/registry.js'
import type { BackendAnswer, NamespaceType, WizardAnswers } from './answers.js'
import { NAMESPACE_TYPES, TEST_KEYS } from './answers.js'
import { ApplyError, applyAnswers } from './apply.js'
import { answerProblems } from './check.js'
import { parseInstanceSpec, parseServiceSpec, SpecError } from './flag-specs.js'
import type { Prompter } from './prompter.js'
import { InquirerPrompter, PromptCancelled } from './prompter.js'
import type { ExistingNamespace } from './rules.js'
import { discoverLine, equivalentScript, shellQuote } from './script.js'
import type { GivenAnswers, WizardDefaults } from './wizard.js'
import { askAnswers, describeAnswers, describeBackend } from './wizard.js'

/** The flags of `cloudmap init` (src/commands/init.ts). */
export interface InitFlags {
  yes?: boolean
  backend?: string
  registry?: string
  'endpoint-url'?: string
  region?: string
  profile?: string
  output?: string
  'namespace-type'?: string
  'namespace-name'?: string
  vpc?: string
  service?: string[]
  instance?: string[]
  'save-profile'?: string
}

export interface InitIO {
  env: NodeJS.ProcessEnv
  stdinIsTTY: boolean
  /** stdout: the equivalent script alone (`cloudmap init --yes ... > setup.sh`). */
  out(text: string): void
  /** stderr: the plan, progress, discovery, notes and errors. */
  err(text: string): void
  /** Questions; by default @inquirer/prompts on the terminal. */
  prompter?: Prompter
  /** Ctrl-C while creating (default: process SIGINT). Returns a function that stops listening. */
  onInterrupt?(handler: () => void): () => void
  /** GetOperation polling interval (remote endpoints). */
  pollIntervalMs?: number
}

const TYPE_ALIASES: Record<string, NamespaceType> = { http: 'HTTP', 'private-dns': 'DNS_PRIVATE', dns_private: 'DNS_PRIVATE', 'public-dns': 'DNS_PUBLIC', dns_public: 'DNS_PUBLIC' }

export const NOT_A_TERMINAL =
  'cloudmap init asks questions, but standard input is not a terminal. Run it in a terminal, or answer with flags and --yes, e.g.\n' +
  '  cloudmap init --yes --namespace-type http --namespace-name myapp --service name=web --instance id=web-1,ipv4=10.0.0.1,port=8080'

/** `cloudmap init`: the exit code; everything printed through `io`. */
export async function runInit(flags: InitFlags, io: InitIO): Promise<number> {
  const registries = new Map<string, Registry>()
  try {
    if (!flags.yes && !io.stdinIsTTY) throw new CommandUsageError(NOT_A_TERMINAL)
    const base = resolveSettings(flagMap({ region: flags.region, profile: flags.profile, output: flags.output, 'endpoint-url': flags['endpoint-url'], registry: flags.registry }), io.env)
    const given = givenAnswers(flags)
    const configProfile = selectProfile(flagMap({ profile: flags.profile }), io.env).value ?? DEFAULT_PROFILE
    const defaults: WizardDefaults = {
      backend: base.remote ? 'remote' : 'local',
      registryPath: base.registryPath,
      endpointUrl: base.endpointUrl,
      region: base.region,
      profile: base.profile,
      configProfile,
    }

    const registryFor = async (backend: BackendAnswer): Promise<Registry> => {
      const key = JSON.stringify(backend)
      let registry = registries.get(key)
      if (!registry) {
        registry = await createRegistry(settingsFor(base, backend))
        registries.set(key, registry)
      }
      return registry
    }
    const probe = async (backend: BackendAnswer) => listNamespaces(await registryFor(backend))

    let answers: WizardAnswers | undefined
    if (flags.yes) {
      answers = await unattendedAnswers(given, defaults, probe)
      io.err(`${describeAnswers(answers)}\n`)
    } else {
      if (given.services?.length || given.instances?.length) {
        // Services and instances given as flags are checked like typed answers, before any question
        // (against the most permissive namespace type when the type is still to be asked).
        const type = given.namespaceType ?? 'DNS_PUBLIC'
        const partial = { namespace: { type, name: 'placeholder' }, services: given.services ?? [], instances: given.instances ?? [] }
        const problems = answerProblems(partial).filter((p) => !p.startsWith('namespace:'))
        if (problems.length > 0) throw new CommandUsageError(`These answers are not valid:\n  ${problems.join('\n  ')}`)
      }
      const prompter = io.prompter ?? new InquirerPrompter()
      try {
        answers = await askAnswers({ prompter, given, defaults, probe })
      } catch (error) {
        if (error instanceof PromptCancelled) {
          io.err('\nCancelled: nothing was written.\n')
          return EXIT_CANCELLED
        }
        throw error
      }
      if (answers === undefined) {
        io.err('Nothing was created.\n')
        return 0
      }
      // Flag answers meet the namespace chosen at the prompt only now: check the whole set once more.
      const problems = answerProblems(answers).filter((p) => !p.startsWith('namespace:'))
      if (problems.length > 0) throw new CommandUsageError(`These answers are not valid:\n  ${problems.join('\n  ')}`)
    }

    const registry = await registryFor(answers.backend)
    let interrupted = false
    const listen = io.onInterrupt ?? defaultInterrupt
    const stop = listen(() => {
      if (!interrupted) io.err('\nInterrupted: finishing the current call, then removing what was created…\n')
      interrupted = true
    })
    try {
      const b = answers.backend
      const commandOptions = (
        b.kind === 'local' ? ['--registry', b.registryPath] : ['--endpoint-url', b.endpointUrl, '--region', b.region, ...(b.profile ? ['--profile', b.profile] : []), ...(b.noSignRequest ? ['--no-sign-request'] : [])]
      )
        .map(shellQuote)
        .join(' ')
      await applyAnswers(registry, answers, { interrupted: () => interrupted, log: (l) => io.err(`${l}\n`), pollIntervalMs: io.pollIntervalMs, commandOptions })
    } catch (error) {
      if (!(error instanceof ApplyError)) throw error
      for (const leftover of error.leftovers) io.err(`Could not remove ${leftover}\n`)
      if (error.interrupted) {
        io.err(error.leftovers.length === 0 ? 'Cancelled: nothing was left behind.\n' : 'Cancelled, but the resources above are left.\n')
        return EXIT_CANCELLED
      }
      const { stderr, exitCode } = describeError(error.failure, error.operation)
      io.err(stderr)
      io.err(error.leftovers.length === 0 ? 'Nothing was left behind.\n' : 'The resources above are left.\n')
      return exitCode
    } finally {
      stop()
    }

    await printDiscovery(registry, answers, base, io)
    io.err('\nThe same, as non-interactive commands (ready to paste into a script):\n\n')
    io.out(equivalentScript(answers))
    if (answers.saveProfile !== undefined) await saveBackend(answers.saveProfile, answers.backend, io)
    return 0
  } catch (error) {
    const { stderr, exitCode } = describeFailure(error instanceof SpecError ? new CommandUsageError(error.message) : error, 'init')
    io.err(stderr)
    return exitCode
  } finally {
    await Promise.all([...registries.values()].map((r) => r.close()))
  }
}

function defaultInterrupt(handler: () => void): () => void {
  process.on('SIGINT', handler)
  return () => process.off('SIGINT', handler)
}

/** The settings of a chosen backend: the resolved ones with the wizard's answers on top. */
export function settingsFor(base: Settings, backend: BackendAnswer): Settings {
  if (backend.kind === 'local') return { ...base, remote: false, endpointUrl: undefined, registryPath: backend.registryPath }
  return {
    ...base,
    remote: true,
    endpointUrl: backend.endpointUrl,
    region: backend.region,
    regionGiven: true,
    profile: backend.profile,
    noSignRequest: backend.noSignRequest ?? base.noSignRequest,
    ...(backend.testKeys ? { credentials: TEST_KEYS } : {}),
  }
}

async function listNamespaces(registry: Registry): Promise<ExistingNamespace[]> {
  const all: ExistingNamespace[] = []
  let NextToken: string | undefined
  do {
    const page = await registry.invoke('ListNamespaces', NextToken === undefined ? {} : { NextToken })
    all.push(...(page.Namespaces ?? []))
    NextToken = page.NextToken
  } while (NextToken !== undefined)
  return all
}

/** Flags as answers; malformed values are usage errors. */
export function givenAnswers(flags: InitFlags): GivenAnswers {
  const given: GivenAnswers = {}
  if (flags.backend !== undefined) {
    if (flags.backend !== 'local' && flags.backend !== 'remote') throw new CommandUsageError(`--backend must be local or remote, not "${flags.backend}"`)
    given.backend = flags.backend
  }
  if (flags.registry !== undefined) {
    given.registryPath = absolutePath(flags.registry)
    given.backend ??= 'local'
  }
  if (flags['endpoint-url'] !== undefined) {
    given.endpointUrl = flags['endpoint-url']
    given.backend ??= 'remote'
  }
  if (given.backend === 'remote') {
    if (flags.region !== undefined) given.region = flags.region
    if (flags.profile !== undefined) given.profile = flags.profile
  }
  const type = flags['namespace-type']
  if (type !== undefined) {
    const t = TYPE_ALIASES[type.toLowerCase()] ?? (NAMESPACE_TYPES as readonly string[]).find((n) => n === type.toUpperCase())
    if (t === undefined) throw new CommandUsageError(`--namespace-type must be http, private-dns or public-dns, not "${type}"`)
    given.namespaceType = t as NamespaceType
  }
  if (flags['namespace-name'] !== undefined) given.namespaceName = flags['namespace-name']
  if (flags.vpc !== undefined) given.vpc = flags.vpc
  if (flags.service?.length) {
    const records = given.namespaceType === undefined || given.namespaceType === 'HTTP' ? 'NONE' : 'A'
    given.services = flags.service.map((s) => parseServiceSpec(s, records))
  }
  if (flags.instance?.length) given.instances = flags.instance.map((i) => parseInstanceSpec(i, given.services ?? []))
  if (flags['save-profile'] !== undefined) {
    if (!PROFILE_NAME.test(flags['save-profile'])) throw new CommandUsageError(`Profile names are 1 to 64 letters, digits, '.', '_' or '-': "${flags['save-profile']}"`)
    given.saveProfile = flags['save-profile']
  }
  return given
}

async function unattendedAnswers(given: GivenAnswers, defaults: WizardDefaults, probe: (b: BackendAnswer) => Promise<ExistingNamespace[]>): Promise<WizardAnswers> {
  const missing: string[] = []
  if (given.namespaceName === undefined) missing.push('--namespace-name')
  if (!given.services?.length) missing.push('--service')
  if (given.namespaceType === 'DNS_PRIVATE' && given.vpc === undefined) missing.push('--vpc')
  const kind = given.backend ?? defaults.backend
  const endpointUrl = given.endpointUrl ?? defaults.endpointUrl
  if (kind === 'remote' && endpointUrl === undefined) missing.push('--endpoint-url')
  if (missing.length > 0) throw new CommandUsageError(`--yes answers every question from flags; missing: ${missing.join(', ')}`)
  const backend: BackendAnswer =
    kind === 'local'
      ? { kind, registryPath: given.registryPath ?? defaults.registryPath }
      : { kind, endpointUrl: endpointUrl!, region: given.region ?? defaults.region, ...(given.profile ?? defaults.profile ? { profile: given.profile ?? defaults.profile } : {}) }
  const answers: WizardAnswers = {
    backend,
    namespace: { type: given.namespaceType ?? 'HTTP', name: given.namespaceName!, ...(given.vpc !== undefined ? { vpc: given.vpc } : {}) },
    services: given.services!,
    instances: given.instances ?? [],
  }
  if (given.saveProfile !== undefined) answers.saveProfile = given.saveProfile
  let existing: ExistingNamespace[]
  try {
    existing = await probe(backend)
  } catch (error) {
    if (error instanceof Error) error.message = `${describeBackend(backend)} did not answer: ${error.message}`
    throw error
  }
  const problems = answerProblems(answers, existing)
  if (problems.length > 0) throw new CommandUsageError(`These answers are not valid:\n  ${problems.join('\n  ')}`)
  return answers
}

/** discover-instances for each service, printed as the command prints it. */
async function printDiscovery(registry: Registry, answers: WizardAnswers, base: Settings, io: InitIO): Promise<void> {
  const { executeOperation } = await import('../cli/execute.js')
  const spec = operationSpec('DiscoverInstances')
  for (const s of answers.services) {
    io.err(`\n$ ${discoverLine(answers.namespace, s)}\n`)
    const text = await executeOperation(
      spec,
      { NamespaceName: answers.namespace.name, ServiceName: s.name },
      { output: base.output, query: base.query, paginate: false, width: 80, color: false, tty: false },
      (input) => registry.invoke('DiscoverInstances', input as never) as unknown as Promise<Record<string, unknown>>,
    )
    io.err(text)
  }
}

async function saveBackend(profile: string, backend: BackendAnswer, io: InitIO): Promise<void> {
  const { ConfigStore } = await import('../config/store.js')
  const store = await ConfigStore.open(io.env)
  if (backend.kind === 'local') store.setMany(profile, { backend: 'local', registry: backend.registryPath })
  else store.setMany(profile, { backend: 'remote', endpoint_url: backend.endpointUrl, region: backend.region })
  io.err(`\nSaved in profile ${profile} of ${store.path}: later commands use ${describeBackend(backend)}.\n`)
  // A profile holds neither of these: say what later commands need.
  if (backend.kind === 'remote' && backend.noSignRequest) io.err('Give them --no-sign-request: a profile does not hold it.\n')
  if (backend.kind === 'remote' && backend.testKeys) io.err(`Export AWS_ACCESS_KEY_ID=${TEST_KEYS.accessKeyId} AWS_SECRET_ACCESS_KEY=${TEST_KEYS.secretAccessKey} for them: a profile does not hold keys.\n`)
}
