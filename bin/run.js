#!/usr/bin/env node
// Operation commands run without oclif (see src/cli/fast-path.ts); everything else goes through oclif.
// Heavy modules are imported lazily by whatever needs them.
const { normalizeCommandLine } = await import('../dist/cli/command-line.js')
const argv = normalizeCommandLine(process.argv.slice(2))
const { runOperationFast } = await import('../dist/cli/fast-path.js')
if (!(await runOperationFast(argv))) {
  const { runOclif } = await import('../dist/cli/oclif-run.js')
  await runOclif(argv, import.meta.url)
}
