// Builds the dashboard served by `cloudmap serve` at /ui/ into dist/ui/: the page's TypeScript, preact,
// htm and the SigV4 signer bundled by esbuild into one file (no CDN: it works offline), plus the static
// files next to it. src/serve/ui/index.ts serves exactly these files.
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const page = join(root, 'src', 'serve', 'ui', 'page')
const out = join(root, 'dist', 'ui')
mkdirSync(out, { recursive: true })

await build({
  entryPoints: [join(page, 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  legalComments: 'eof',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
})
for (const file of ['index.html', 'app.css', 'icon.svg']) copyFileSync(join(page, file), join(out, file))
