import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'

/**
 * `file://PATH` and `fileb://PATH` parameter values (awscli/paramfile.py): the path has `~` and
 * `$VARS` expanded and is relative to the working directory; file:// gives the text (UTF-8, newlines
 * kept), fileb:// the raw bytes. Anything else is not a paramfile: returns undefined.
 * Throws Error with the AWS CLI's message (the caller prefixes "Error parsing parameter '--x': ").
 */
export function loadParamfile(value: string): string | Buffer | undefined {
  const prefix = value.startsWith('file://') ? 'file://' : value.startsWith('fileb://') ? 'fileb://' : undefined
  if (!prefix) return undefined
  const written = value.slice(prefix.length)
  const path = expandUser(expandVars(written))
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const reason = e.code === 'ENOENT' ? `[Errno 2] No such file or directory: '${path}'` : e.code === 'EISDIR' ? `[Errno 21] Is a directory: '${path}'` : e.message
    throw new Error(`Unable to load paramfile ${value}: ${reason}`)
  }
  if (prefix === 'fileb://') return bytes
  // ignoreBOM: Python's utf-8 codec keeps a byte-order mark as U+FEFF in the text.
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  try {
    return text.decode(bytes)
  } catch {
    throw new Error(
      `Unable to load paramfile (${path}), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.`,
    )
  }
}

function expandUser(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
}

/** os.path.expandvars: $NAME and ${NAME} are replaced when set, left as written otherwise. */
function expandVars(path: string): string {
  return path.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? whole)
}
