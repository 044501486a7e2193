/**
 * The one error type of cloudmap. Everything thrown inside is a CloudmapError; the CLI turns it into
 * AWS CLI v2 stderr text and exit code (src/cli/report-error.ts), the server into a JSON 1.1 error body.
 *
 * Kinds and the AWS CLI v2 exit codes they map to (awscli/constants.py, errorhandler.py):
 *   service        254  a service error response: `An error occurred (Code) when calling the Op operation: msg`
 *   param          252  parameter parsing and client-side validation (ParamValidation)
 *   usage          252  argparse errors; the usage text follows the message
 *   unknown-option 252  leftover arguments; the usage text comes first (awscli UnknownArgumentErrorHandler)
 *   config         253  configuration problems (no region, unreadable settings)
 *   other          255  everything else (connection errors, int() conversion failures, ...)
 */
export type ErrorKind = 'service' | 'param' | 'usage' | 'unknown-option' | 'config' | 'other'

export const EXIT_CODES: Record<ErrorKind, number> = {
  service: 254,
  param: 252,
  usage: 252,
  'unknown-option': 252,
  config: 253,
  other: 255,
}

/** A command the user interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
export const EXIT_CANCELLED = 130

export class CloudmapError extends Error {
  override readonly name = 'CloudmapError'
  /** For a service error after the client's retries ran out: how many retries were made. */
  retriesExhausted?: number
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** AWS error code for service errors (e.g. 'NamespaceNotFound'). */
    readonly code = '',
    /** HTTP status a server answers with for a service error. */
    readonly httpStatus = 400,
  ) {
    super(message)
  }
}

/** A service error, as AWS Cloud Map would answer it (code from the model's error shapes). */
export function serviceError(code: string, message: string, httpStatus = 400): CloudmapError {
  return new CloudmapError('service', message, code, httpStatus)
}

export function paramError(message: string): CloudmapError {
  return new CloudmapError('param', message)
}

export function usageError(message: string): CloudmapError {
  return new CloudmapError('usage', message)
}
