#!/usr/bin/env node
// Only @oclif/core is loaded here: every heavy module is imported lazily by the command that needs it.
import { execute } from '@oclif/core'

await execute({ dir: import.meta.url })
