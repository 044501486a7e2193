import { loadParamfile } from '../args/paramfile.js'
import { parsePythonJson } from '../args/python-json.js'
import type { ScalarTag, Tags } from 'yaml'
import { PyDateTime, PyValueError, YAML_TIMESTAMP, yamlTimestamp } from '../python/datetime.js'
import { pyClass, pyFloat, pyNumber } from '../python/values.js'
import { CloudmapError, paramError } from '../registry/errors.js'
import type { ParsedArgs } from './argv.js'

/**
 * `--cli-input-json` and `--cli-input-yaml` (awscli/customizations/cliinput.py): a document of API
 * member names read as the call's parameters, under whatever the command line set itself.
 */

const INPUT_FLAGS = ['cli-input-json', 'cli-input-yaml'] as const

/**
 * The AWS CLI's OverrideRequiredArgsArgument rule: when `--cli-input-json`, `--cli-input-yaml` or
 * `--generate-cli-skeleton` appears in argv as an exact token (not `--opt=value`, not an
 * abbreviation), no option is required any more, except for `--generate-cli-skeleton output` (the
 * token right after it is `output`), which validates the command as a real call would.
 */
export function requiredArgsOverridden(argv: readonly string[]): boolean {
  if (argv.includes('--cli-input-json') || argv.includes('--cli-input-yaml')) return true
  const at = argv.indexOf('--generate-cli-skeleton')
  return at !== -1 && argv[at + 1] !== 'output'
}

/**
 * The parameters of the --cli-input-* document given, or undefined when there is none. Errors, all
 * exit 252 but the unreadable file (255, as the AWS CLI lets that one through unwrapped):
 *  - both flags: "Only one --cli-input- parameter may be specified."
 *  - unparsable: "Error parsing parameter 'cli-input-json': Invalid JSON received." (no dashes, no detail)
 *  - not a mapping: "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>"
 */
export async function loadCliInput(parsed: ParsedArgs): Promise<Record<string, unknown> | undefined> {
  const given = INPUT_FLAGS.filter((flag) => typeof parsed.get(flag) === 'string')
  if (given.length === 0) return undefined
  if (given.length > 1) throw paramError('Only one --cli-input- parameter may be specified.')
  const flag = given[0]
  const raw = parsed.get(flag) as string
  let text: string
  try {
    const loaded = loadParamfile(raw)
    text = loaded === undefined ? raw : Buffer.isBuffer(loaded) ? loaded.toString('utf8') : loaded
  } catch (error) {
    // As for any parameter (awscli's ParamError): exit 252 with the parameter named, dashes included.
    throw paramError(`Error parsing parameter '--${flag}': ${(error as Error).message}`)
  }
  const document = flag === 'cli-input-json' ? loadJson(text) : await loadYaml(text)
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw paramError(`Error parsing parameter '--${flag}': Invalid type: expecting map, received ${pyClass(document)}`)
  }
  return document as Record<string, unknown>
}

/** json.loads, any failure being "Invalid JSON received." */
function loadJson(text: string): unknown {
  try {
    // Floats stay floats (botocore refuses 1.0 where an integer is expected).
    return parsePythonJson(text, { pythonFloats: true })
  } catch {
    throw paramError("Error parsing parameter 'cli-input-json': Invalid JSON received.")
  }
}

/**
 * ruamel.yaml's safe loader (YAML 1.2, merge keys); an empty document is None. Integers stay exact
 * (bigint beyond 2^53, as Python's int); timestamps are Python dates and datetimes (src/python/datetime.ts).
 */
async function loadYaml(text: string): Promise<unknown> {
  // Loaded only when needed: most commands never read YAML.
  const { parse } = await import('yaml')
  // A timestamp Python's datetime refuses (month 13) is a ValueError, not a YAML error: the AWS CLI
  // prints its message and exits 255.
  let invalidDate: PyValueError | undefined
  const timestamp: ScalarTag = {
    tag: 'tag:yaml.org,2002:timestamp',
    default: true,
    test: YAML_TIMESTAMP,
    identify: (value) => value instanceof PyDateTime,
    resolve: (source: string) => {
      try {
        return yamlTimestamp(source)
      } catch (error) {
        if (!(error instanceof PyValueError)) throw error
        invalidDate ??= error
        return null
      }
    },
  }
  let document: unknown
  try {
    document = parse(text, { version: '1.2', merge: true, intAsBigInt: true, customTags: (tags) => [timestamp, ...pythonFloatTags(tags)] })
  } catch {
    throw paramError("Error parsing parameter 'cli-input-yaml': Invalid YAML received.")
  }
  if (invalidDate) throw new CloudmapError('other', invalidDate.message)
  return exactIntegers(document)
}

/** YAML floats as Python floats (`1.0` stays a float, as ruamel.yaml loads it). */
function pythonFloatTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:float' || !('resolve' in tag) || typeof tag.resolve !== 'function') return tag
    const resolve = tag.resolve as (...args: unknown[]) => unknown
    return {
      ...tag,
      resolve: (...args: unknown[]) => {
        const v = resolve(...args)
        return pyFloat(typeof v === 'number' ? v : Number((v as { value: unknown }).value))
      },
    } as Tags[number]
  })
}

function exactIntegers(value: unknown): unknown {
  if (pyNumber(value) !== null && typeof value === 'object') return value
  if (value instanceof PyDateTime) return value
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value
  if (Array.isArray(value)) return value.map(exactIntegers)
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactIntegers(v)]))
  }
  return value
}

/**
 * Merge the --cli-input-* document into the parameters built from the command line: a key is taken
 * only when the command line did not set it (the command line wins, capture 07-18). Values are not
 * shorthand-parsed; client-side validation checks them as it checks everything else.
 */
export async function applyCliInput(params: Record<string, unknown>, parsed: ParsedArgs): Promise<void> {
  const document = await loadCliInput(parsed)
  if (document === undefined) return
  for (const [key, value] of Object.entries(document)) {
    // defineProperty: a key such as "__proto__" is a parameter name like any other (and fails validation).
    if (!Object.hasOwn(params, key)) Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true })
  }
}
