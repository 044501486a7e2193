import { join } from 'node:path'
import { describeError } from './report-error.js'
import { CloudmapError, usageError } from '../registry/errors.js'

/**
 * Everything that is not an operation command (init, configure, serve, autocomplete, help) runs through
 * oclif; its errors are reported as cloudmap reports every error (the AWS CLI's wording and exit codes):
 * a command-line error of oclif's parser is a usage error (252), anything else 255.
 */
export async function runOclif(argv: string[], root: string): Promise<void> {
  // The autocomplete plugin writes its cache into oclif's cache folder: beside cloudmap's settings when
  // those were moved (CLOUDMAP_CONFIG_DIR), so that a sandboxed setup writes nothing elsewhere.
  if (process.env.CLOUDMAP_CONFIG_DIR && !process.env.CLOUDMAP_CACHE_DIR) process.env.CLOUDMAP_CACHE_DIR = join(process.env.CLOUDMAP_CONFIG_DIR, 'cache')
  const { flush, run, settings } = await import('@oclif/core')
  // bin/run.js runs the compiled dist/: oclif must not look for TypeScript sources of the help class
  // (under NODE_ENV=test or development it would, and warn that it found none).
  settings.enableAutoTranspile = false
  try {
    await run(argv, root)
    await flush()
  } catch (error) {
    const e = error as Error & { code?: string; oclif?: { exit?: number } }
    // this.exit(n): not an error.
    if (e.code === 'EEXIT' && typeof e.oclif?.exit === 'number') {
      process.exitCode = e.oclif.exit
      return
    }
    const reported = error instanceof CloudmapError ? error : e.oclif?.exit === 2 ? usageError(e.message.split('\n')[0]) : new CloudmapError('other', e.message)
    const { stderr, exitCode } = describeError(reported, '')
    process.stderr.write(stderr)
    process.exitCode = exitCode
  }
}
