import { vi } from 'vitest'
import { runOperation } from '../../src/cli/run-operation.js'
import { OPERATIONS } from '../../src/model/index.js'

export interface InProcessResult {
  stdout: string
  stderr: string
  exitCode: number
  /** The parameters handed to the service call, when it was stubbed out. */
  called?: Record<string, unknown>
}

/**
 * `cloudmap <argv>` for an operation command through runOperation, in this process, capturing stdout,
 * stderr and the exit code. The service call is stubbed (recording its parameters) unless `real`.
 */
export async function runInProcess(argv: readonly string[], real = false): Promise<InProcessResult> {
  const [command, ...rest] = argv
  const op = OPERATIONS.find((o) => o.cliName === command)
  if (!op) throw new Error(`no operation ${command}`)
  const result: InProcessResult = { stdout: '', stderr: '', exitCode: 0 }
  const stub = async (_op: unknown, params: Record<string, unknown>) => {
    result.called = params
    return ''
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    result.stdout += String(chunk)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    result.stderr += String(chunk)
    return true
  })
  const previous = process.exitCode
  process.exitCode = undefined
  try {
    await (real ? runOperation(op, rest) : runOperation(op, rest, stub))
  } finally {
    out.mockRestore()
    err.mockRestore()
    result.exitCode = Number(process.exitCode ?? 0)
    process.exitCode = previous
  }
  return result
}
