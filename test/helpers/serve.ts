import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { BIN, cliEnv, ROOT } from './cli.js'

export interface ServeProcess {
  url: string
  port: number
  child: ChildProcess
  /** What serve has written on stderr so far. */
  stderr(): string
  /** Send a signal and wait for the exit: the exit code (or 128 + signal number when killed). */
  stop(signal?: NodeJS.Signals): Promise<number>
}

/** `cloudmap serve --port 0 …` as a user runs it (the built binary); resolves once it printed its address. */
export function startServeProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: cliEnv(env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve did not start: ${stderr}`))
    }, 20_000)
    child.stdout!.on('data', () => {
      const m = /(http:\/\/[^\s/]+)\//.exec(stdout)
      if (!m) return
      clearTimeout(timer)
      resolve({
        url: m[1],
        port: Number(m[1].split(':').pop()),
        child,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          return exited
        },
      })
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited ${code}: ${stderr}`))
    })
  })
}

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One raw HTTP request (no client-side normalisation of the path or headers). */
export function rawRequest(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A JSON 1.1 call as an unsigned client makes it. */
export function apiCall(url: string, operation: string, input: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return rawRequest(url, {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Route53AutoNaming_v20170314.${operation}`, ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  })
}
