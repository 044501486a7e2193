import { it } from 'vitest'

/**
 * A program the tests of this file need on the machine. Under CI=true a missing one is a failing test that
 * says what to install (a CI that skips them would pass without testing anything); elsewhere a skipped
 * test that says why. Returns whether the program is there.
 */
export function needs(program: string, present: boolean, install: string): boolean {
  if (!present) {
    ;(process.env.CI ? it : it.skip)(`needs ${program} (${install})`, () => {
      throw new Error(`${program} is missing: ${install}.`)
    })
  }
  return present
}
