#!/usr/bin/env node
// Operation commands run without oclif (see src/cli/fast-path.ts); everything else goes through oclif.
// Heavy modules are imported lazily by whatever needs them.
const { normalizeCommandLine } = await import('../dist/cli/command-line.js')
const argv = normalizeCommandLine(process.argv.slice(2))
const { runOperationFast } = await import('../dist/cli/fast-path.js')
if (!(await runOperationFast(argv))) {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url, args: argv })
}
