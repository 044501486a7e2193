import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { chromium } from 'playwright-core'

/** Debian's chromium (.ci/run installs it); playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium'

/** Whether the browser tests can run (test/ui/dashboard.test.ts makes a missing chromium fail under CI: helpers/needs.ts). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM)
}

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** Headless chromium with a fresh profile, no network of its own (no updates, sync, QUIC), removed at close. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cloudmap-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    timezoneId: 'UTC',
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
