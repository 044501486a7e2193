import { stripVTControlCharacters } from 'node:util'
import { render } from '@inquirer/testing'
import type { Context } from '@inquirer/type'
import { describe, expect, it } from 'vitest'
import type { WizardAnswers } from '../../src/wizard/answers.js'
import { InquirerPrompter, PromptCancelled } from '../../src/wizard/prompter.js'
import type { WizardDeps } from '../../src/wizard/wizard.js'
import { askAnswers } from '../../src/wizard/wizard.js'

// The wizard on the real @inquirer/prompts, through @inquirer/testing: keys go in, screens come out.

type Session = Awaited<ReturnType<typeof render<WizardAnswers | undefined, Record<string, never>>>>

function start(overrides: Partial<WizardDeps> = {}): Promise<Session> {
  const wizard = (_config: Record<string, never>, context?: Context) =>
    askAnswers({
      prompter: new InquirerPrompter(context),
      given: {},
      defaults: { backend: 'local', registryPath: '/tmp/registry.json', region: 'us-east-1', configProfile: 'default' },
      probe: async () => [{ Id: 'ns-existing', Name: 'taken', Type: 'HTTP' }],
      ...overrides,
    })
  return render(wizard as never, {}) as Promise<Session>
}

/**
 * Keys and screens of one session. Prompts follow each other asynchronously, so after each answer it
 * waits for that prompt's final line ("✔ question answer"), and later waits only look at newer output.
 */
class Driver {
  /** Offset in the output (without terminal codes) after the last answered prompt. */
  private mark = 0

  constructor(readonly session: Session) {}

  /** The output after the last answered prompt's final line, without terminal codes. */
  private since(): string {
    return stripVTControlCharacters(this.session.getFullOutput()).slice(this.mark)
  }

  /** Wait until output newer than the last answer shows this; returns the current screen. */
  async see(text: string | RegExp): Promise<string> {
    const deadline = Date.now() + 5000
    for (;;) {
      const shown = this.since()
      if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return this.session.getScreen()
      if (Date.now() > deadline) throw new Error(`The screen never showed ${String(text)}; it shows:\n${this.session.getScreen()}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** Press keys at a question and wait until it is answered. */
  async answer(question: string, typed: string, keys: string[] = ['enter']): Promise<void> {
    await this.see(`? ${question}`)
    if (typed !== '') this.session.events.type(typed)
    for (const key of keys) this.session.events.keypress(key)
    await this.see(`✔ ${question}`)
    const done = `✔ ${question}`
    this.mark += this.since().indexOf(done) + done.length
  }

  /** Type an answer the prompt should refuse; returns the screen with the reason. */
  async refused(question: string, typed: string, reason: string): Promise<string> {
    await this.see(`? ${question}`)
    this.session.events.type(typed)
    this.session.events.keypress('enter')
    const shown = await this.see(reason)
    // The refused text stays for editing: erase it.
    for (let i = 0; i < typed.length; i++) this.session.events.keypress('backspace')
    return shown
  }
}

describe('the wizard on @inquirer/prompts', () => {
  it('walks through a session, showing each refusal under its prompt', async () => {
    const d = new Driver(await start())
    expect(await d.see('Where should the registry live?')).toContain('❯ A local file')
    await d.answer('Where should the registry live?', '')
    expect(await d.see('Registry file')).toContain('(/tmp/registry.json)')
    await d.answer('Registry file', '')
    await d.answer('Namespace type', '')

    const refusal = await d.refused('Namespace name', 'taken', 'already exists')
    expect(refusal).toContain('> A namespace named taken already exists (ns-existing): choose another name.')
    await d.answer('Namespace name', 'shop')

    await d.answer('Service name', 'web')
    const health = await d.see('? Health check')
    expect(health).toContain('- Route 53, HTTP (Route 53 health checks need a public DNS namespace)')
    d.session.events.keypress('down')
    expect(await d.see('❯ Custom')).toContain('You report health with update-instance-custom-health-status.')
    await d.answer('Health check', '')

    await d.answer('Add another service?', 'n')
    await d.answer('Register an instance in web?', '')
    await d.answer('Instance id', '')
    // In an HTTP namespace the address becomes no DNS record: RegisterInstance (and so the wizard) takes any value.
    await d.answer('IPv4 address (optional)', '10.0.0.1')
    expect(await d.refused('Port (optional)', '99999', 'A port is')).toContain('> A port is a whole number from 1 to 65535.')
    await d.answer('Port (optional)', '80')
    await d.answer('Custom attribute', 'stage=beta')
    await d.answer('Custom attribute', '')
    await d.answer('Register another instance in web?', '')
    expect(await d.see('? Create it now?')).toContain('(Y/n)')
    expect(d.session.getFullOutput()).toContain('instance   web-1 in web at 10.0.0.1:80 (stage=beta)')
    await d.answer('Create it now?', '')

    await expect(d.session.answer).resolves.toEqual({
      backend: { kind: 'local', registryPath: '/tmp/registry.json' },
      namespace: { type: 'HTTP', name: 'shop' },
      services: [{ name: 'web', records: 'NONE', health: 'custom' }],
      instances: [{ service: 'web', id: 'web-1', ipv4: '10.0.0.1', port: 80, attributes: { stage: 'beta' } }],
    })
  })

  it('turns Ctrl-C at a prompt into a cancellation', async () => {
    const d = new Driver(await start())
    await d.answer('Where should the registry live?', '')
    await d.see('? Registry file')
    d.session.events.keypress({ name: 'c', ctrl: true })
    await expect(d.session.answer).rejects.toBeInstanceOf(PromptCancelled)
  })
})
