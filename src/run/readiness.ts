import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'

/** One check of COMMAND's readiness: resolves true when it passes, false when it fails or takes longer than timeoutMs. */
export type ReadinessCheck = (timeoutMs: number) => Promise<boolean>

export type CheckSpec = { kind: 'cmd'; command: string } | { kind: 'http'; url: string } | { kind: 'tcp'; port: number; host: string }

export function describeCheck(spec: CheckSpec): string {
  switch (spec.kind) {
    case 'cmd':
      return `command ${JSON.stringify(spec.command)}`
    case 'http':
      return `GET ${spec.url}`
    case 'tcp':
      return `TCP connect to ${spec.host}:${spec.port}`
  }
}

export function readinessCheck(spec: CheckSpec): ReadinessCheck {
  switch (spec.kind) {
    case 'cmd':
      return (timeoutMs) => commandPasses(spec.command, timeoutMs)
    case 'http':
      return (timeoutMs) => httpPasses(spec.url, timeoutMs)
    case 'tcp':
      return (timeoutMs) => tcpPasses(spec.host, spec.port, timeoutMs)
  }
}

/** --health-cmd: exit status 0 passes (as Docker's HEALTHCHECK CMD). */
function commandPasses(command: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', () => {
      clearTimeout(timer)
      resolve(false)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code === 0)
    })
  })
}

/** --health-http: a 2xx or 3xx status passes, as Route 53's HTTP health checks judge an endpoint. */
function httpPasses(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, { method: 'GET', timeout: timeoutMs, headers: { 'user-agent': 'cloudmap-run' } }, (res) => {
      res.resume()
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400)
    })
    req.once('timeout', () => req.destroy(new Error('timeout')))
    req.once('error', () => resolve(false))
    req.end()
  })
}

/** --health-tcp: a TCP connection that opens passes, as Route 53's TCP health checks. */
function tcpPasses(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(false))
  })
}
