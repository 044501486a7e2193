import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** Whether moto_server is on this machine (the interop and remote suites skip cleanly when it is not). */
export const HAS_MOTO = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0

/** A free loopback port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface Moto {
  url: string
  port: number
  /** Forget every resource (moto's reset endpoint), so each case starts from an empty account. */
  reset(): Promise<void>
  stop(): Promise<void>
}

/** Start moto_server on a free port and wait until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const r = await fetch(`${url}/moto-api/`)
      if (r.status < 500) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error('moto_server did not start')
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    port,
    reset: async () => {
      await fetch(`${url}/moto-api/reset`, { method: 'POST' })
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
