import { CloudmapError, EXIT_CODES } from '../registry/errors.js'

/**
 * The AWS CLI's usage text with `cloudmap` for `aws`; our commands are top level, so there is no
 * `<subcommand>` level (`cloudmap create-service` stands for `aws servicediscovery create-service`).
 */
export const USAGE =
  'usage: cloudmap [options] <command> [parameters]\n' +
  'To see help text, you can run:\n\n' +
  '  cloudmap --help\n' +
  '  cloudmap <command> --help\n'

const PREFIX = 'cloudmap: [ERROR]: '

/**
 * stderr text and exit code for an error, in the current AWS CLI v2 wording (write_error():
 * "\n" + "aws: [ERROR]: " + message.strip() + "\n"), with `cloudmap` where it says `aws`.
 */
export function describeError(error: unknown, operationName: string): { stderr: string; exitCode: number } {
  if (!(error instanceof CloudmapError)) {
    const message = error instanceof Error ? error.message : String(error)
    return { stderr: `\n${PREFIX}${message.trim()}\n`, exitCode: EXIT_CODES.other }
  }
  const exitCode = EXIT_CODES[error.kind]
  switch (error.kind) {
    // An empty message leaves no trailing space: the whole line is stripped.
    case 'service': {
      // botocore names exhausted retries in the sentence: "operation (reached max retries: 2): ...".
      const retries = error.retriesExhausted === undefined ? '' : ` (reached max retries: ${error.retriesExhausted})`
      return { stderr: `\n${PREFIX}${`An error occurred (${error.code}) when calling the ${operationName} operation${retries}: ${error.message}`.trim()}\n`, exitCode }
    }
    case 'param':
      return { stderr: `\n${PREFIX}An error occurred (ParamValidation): ${error.message.trim()}\n`, exitCode }
    case 'usage':
      return { stderr: `\n${PREFIX}An error occurred (ParamValidation): ${`${error.message}\n\n${USAGE}`.trim()}\n`, exitCode }
    case 'unknown-option':
      return { stderr: `\n${USAGE}\n\n${PREFIX}${error.message.trim()}\n`, exitCode }
    default:
      return { stderr: `\n${PREFIX}${error.message.trim()}\n`, exitCode }
  }
}
