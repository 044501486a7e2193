import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { BIN, ROOT } from '../helpers/cli.js'
import { inspectRegistry } from './inspect.js'

/**
 * `cloudmap init` in a real pseudo-terminal: util-linux `script` runs the built binary on a pty and
 * copies our keystrokes to it. Nothing is installed for this: without `script` (util-linux) the tests
 * are skipped, saying why. Run `npm run build` first.
 */
const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' })
const hasScript = SCRIPT.status === 0 && /util-linux/.test(SCRIPT.stdout + SCRIPT.stderr)
const skipReason = 'util-linux `script` is not available to provide a pseudo-terminal'

const KEY = { enter: '\r', down: '\x1b[B', ctrlC: '\x03', ctrlU: '\x15' }

class Terminal {
  private raw = ''
  private mark = 0
  readonly exited: Promise<number>

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => (this.raw += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (this.raw += d.toString('utf8')))
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  }

  static open(env: Record<string, string>): Terminal {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CLOUDMAP_')))
    const command = `stty cols 100 rows 40; exec "${process.execPath}" "${BIN}" init`
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env: { ...clean, TERM: 'xterm-256color', TZ: 'UTC', ...env } })
    return new Terminal(child)
  }

  /** Everything shown so far, without terminal codes. */
  get screen(): string {
    return stripVTControlCharacters(this.raw).replaceAll('\r', '')
  }

  /** Wait until the output after the last keystrokes shows this text. */
  async see(text: string): Promise<void> {
    const deadline = Date.now() + 15_000
    while (!this.screen.slice(this.mark).includes(text)) {
      if (Date.now() > deadline) throw new Error(`The terminal never showed "${text}". It shows:\n${this.screen}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** At this question, type these keys. */
  async type(question: string, ...keys: string[]): Promise<void> {
    await this.see(question)
    this.mark = this.screen.length
    for (const key of keys) {
      this.child.stdin.write(key)
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
  }

  /** Type, then wait until the prompt shows it answered ("✔ question"). */
  async answer(question: string, ...keys: string[]): Promise<void> {
    await this.type(question, ...keys)
    const done = `✔ ${question}`
    await this.see(done)
    // The next question may already be on screen: later waits start right after this line.
    this.mark += this.screen.slice(this.mark).indexOf(done) + done.length
  }
}

describe.skipIf(!hasScript)(`init in a pseudo-terminal${hasScript ? '' : ` (skipped: ${skipReason})`}`, () => {
  function scene() {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmap-pty-'))
    const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), CLOUDMAP_CONFIG_DIR: join(dir, 'config'), CLOUDMAP_SEED: 'pty', CLOUDMAP_NOW: '2026-01-02T03:04:05.678Z' }
    return { dir, env, registry: join(dir, 'shop.json') }
  }

  it('types the answers, and the registry holds what was asked for', async () => {
    const { env, registry, dir } = scene()
    const t = Terminal.open(env)
    await t.answer('Where should the registry live?', KEY.enter)
    // Replace the default path with ours.
    await t.answer('Registry file', ...[...Array(80)].map(() => '\x7f'), registry, KEY.enter)
    await t.answer('Namespace type', KEY.enter)
    await t.type('Namespace name', 'my shop', KEY.enter)
    await t.see('Only printable ASCII characters, without spaces.')
    await t.answer('Namespace name', KEY.ctrlU, 'shop', KEY.enter)
    await t.answer('Service name', 'web', KEY.enter)
    await t.answer('Health check', KEY.down, KEY.enter)
    await t.answer('Add another service?', 'n', KEY.enter)
    await t.answer('Register an instance in web?', KEY.enter)
    await t.answer('Instance id', KEY.enter)
    await t.answer('IPv4 address (optional)', '10.0.0.1', KEY.enter)
    await t.answer('Port (optional)', '8080', KEY.enter)
    await t.answer('Custom attribute', 'stage=beta', KEY.enter)
    await t.answer('Custom attribute', KEY.enter)
    await t.answer('Register another instance in web?', KEY.enter)
    await t.answer('Use this backend by default from now on', KEY.enter)
    await t.answer('Create it now?', KEY.enter)
    expect(await t.exited).toBe(0)

    expect(t.screen).toContain('✔ Namespace name (such as myapp) shop')
    expect(t.screen).toContain('$ cloudmap discover-instances --namespace-name shop --service-name web')
    expect(t.screen).toContain('The same, as non-interactive commands (ready to paste into a script):')
    const { namespaces, services } = await inspectRegistry(registry)
    expect(namespaces).toMatchObject([{ Name: 'shop', Type: 'HTTP' }])
    expect(services).toMatchObject([{ Name: 'web', HealthCheckCustomConfig: { FailureThreshold: 1 } }])
    expect(services[0].instances).toEqual({ 'web-1': { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '8080', stage: 'beta' } })
    // "No" to remembering the backend: no config file.
    expect(existsSync(join(dir, 'config'))).toBe(false)
  })

  it('leaves nothing written after Ctrl-C, with exit 130', async () => {
    const { env, registry, dir } = scene()
    const t = Terminal.open({ ...env, CLOUDMAP_REGISTRY: registry })
    await t.answer('Where should the registry live?', KEY.enter)
    await t.answer('Registry file', KEY.enter)
    await t.answer('Namespace type', KEY.enter)
    await t.answer('Namespace name', 'shop', KEY.enter)
    await t.type('Service name', 'we', KEY.ctrlC)
    expect(await t.exited).toBe(130)
    expect(t.screen).toContain('Cancelled: nothing was written.')
    expect(existsSync(registry)).toBe(false)
    expect(existsSync(join(dir, 'config'))).toBe(false)
  })
})
