import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'bin', 'run.js')

export interface CliResult {
  stdout: string
  stderr: string
  status: number
}

/** A scratch folder with a registry path inside it (the file itself is created by the first write). */
export function tempRegistry(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmap-test-'))
  return { dir, path: join(dir, 'registry.json') }
}

/**
 * Run the built `cloudmap` binary as a user would, with a hermetic environment: UTC, a fixed clock and
 * seed, no AWS settings from the machine, HOME in a scratch folder.
 */
export function cliEnv(env: Record<string, string | undefined>): Record<string, string> {
  const home = env.HOME ?? mkdtempSync(join(tmpdir(), 'cloudmap-home-'))
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CLOUDMAP_')) clean[k] = v
  }
  const merged: Record<string, string | undefined> = { ...clean, TZ: 'UTC', HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CONFIG_HOME: join(home, '.config'), CLOUDMAP_CONFIG_DIR: join(home, '.config', 'cloudmap'), CLOUDMAP_SEED: 'test', CLOUDMAP_NOW: '2026-01-02T03:04:05.678Z', AWS_EC2_METADATA_DISABLED: 'true', ...env }
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined))
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: cliEnv(env), encoding: 'utf8', input, cwd: env.CWD ?? ROOT })
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 }
}

/** runCli without blocking the event loop: for tests whose server runs in this process. */
export function runCliAsync(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], cliEnv(env), env.CWD ?? ROOT)
}

/** Any program (the AWS CLI, moto's tools), run to its end with this environment: what it printed and its status. */
export function runProcess(command: string, args: readonly string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.once('error', reject)
    child.once('close', (status) => resolve({ stdout, stderr, status: status ?? -1 }))
  })
}
