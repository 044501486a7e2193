#!/usr/bin/env node
// Writes oclif.manifest.json (oclif's cached description of every command) after the TypeScript build,
// so that listing and help read one JSON file instead of loading the command classes. oclif's own
// `oclif manifest` command lives in a large dev-only package; the manifest is what its Plugin computes.
import { writeFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Config } from '@oclif/core'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'oclif.manifest.json')
rmSync(target, { force: true })
const config = await Config.load(root)
const plugin = config.plugins.get(config.pjson.name)
writeFileSync(target, JSON.stringify(plugin.manifest, null, 2) + '\n')
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
