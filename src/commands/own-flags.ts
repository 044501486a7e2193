import { Flags } from '@oclif/core'
import type { OwnFlags } from '../cli/own-flags.js'

/** oclif's flags for a plain flag table (src/cli/own-flags.ts): what help and shell completion show. */
export function oclifFlags(table: OwnFlags) {
  return Object.fromEntries(
    Object.entries(table).map(([name, f]) => {
      const common = { description: f.description, required: f.required, helpValue: f.helpValue, exclusive: f.exclusive ? [...f.exclusive] : undefined }
      if (f.type === 'boolean') return [name, Flags.boolean({ description: f.description })]
      if (f.type === 'integer') return [name, Flags.integer({ ...common, min: f.min, max: f.max })]
      return [name, Flags.string({ ...common, options: f.options ? [...f.options] : undefined, default: f.default })]
    }),
  )
}
