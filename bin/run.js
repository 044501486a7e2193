#!/usr/bin/env node
// Operation commands run without oclif (see src/cli/fast-path.ts); everything else goes through oclif.
// Heavy modules are imported lazily by whatever needs them.
const { runOperationFast } = await import('../dist/cli/fast-path.js')
if (!(await runOperationFast(process.argv.slice(2)))) {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}
