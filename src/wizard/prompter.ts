import { Writable } from 'node:stream'
import type { Verdict } from './rules.js'

export interface Choice<T> {
  value: T
  name: string
  description?: string
  /** Shown greyed out with this reason, and not selectable (combinations AWS refuses). */
  disabled?: string
}

export interface InputQuestion {
  message: string
  default?: string
  validate?: (value: string) => Verdict | Promise<Verdict>
}

export interface SelectQuestion<T> {
  message: string
  choices: readonly Choice<T>[]
  default?: T
}

export interface ConfirmQuestion {
  message: string
  default?: boolean
}

/**
 * The questions the wizard asks, apart from how: @inquirer/prompts on a terminal (InquirerPrompter), or
 * a script of answers in tests. `say` prints a line between questions.
 */
export interface Prompter {
  input(question: InputQuestion): Promise<string>
  select<T>(question: SelectQuestion<T>): Promise<T>
  confirm(question: ConfirmQuestion): Promise<boolean>
  say(text: string): void
}

/** The user pressed Ctrl-C (or closed the terminal) at a prompt. */
export class PromptCancelled extends Error {
  constructor() {
    super('Cancelled')
  }
}

export interface PromptContext {
  input?: NodeJS.ReadableStream
  output?: NodeJS.WritableStream
}

/** @inquirer/prompts, imported on the first question (other commands never load it). */
export class InquirerPrompter implements Prompter {
  private prompts?: typeof import('@inquirer/prompts')

  private readonly context: PromptContext

  constructor(context: PromptContext = {}) {
    this.context = context
    this.target = context.output
  }

  private readonly target?: NodeJS.WritableStream

  /**
   * The context for one prompt. Each prompt ends its output stream when done (fine for the terminal,
   * which is never closed); a given stream gets a fresh front per prompt that passes writes on but
   * not the end, so one session can hold many prompts.
   */
  private promptContext(): PromptContext {
    const target = this.target
    if (target === undefined) return this.context
    const output = new Writable({ write: (chunk, encoding, callback) => void target.write(chunk, encoding, callback) })
    return { ...this.context, output }
  }

  private async load(): Promise<typeof import('@inquirer/prompts')> {
    this.prompts ??= await import('@inquirer/prompts')
    return this.prompts
  }

  private async ask<T>(run: (p: typeof import('@inquirer/prompts')) => Promise<T>): Promise<T> {
    const p = await this.load()
    try {
      return await run(p)
    } catch (error) {
      // ExitPromptError: Ctrl-C or a closed input; AbortPromptError: an aborted signal.
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new PromptCancelled()
      throw error
    }
  }

  input(q: InputQuestion): Promise<string> {
    return this.ask((p) => p.input({ message: q.message, default: q.default, validate: q.validate }, this.promptContext()))
  }

  select<T>(q: SelectQuestion<T>): Promise<T> {
    return this.ask((p) =>
      p.select<T>(
        {
          message: q.message,
          default: q.default,
          choices: q.choices.map((c) => ({ value: c.value, name: c.name, description: c.description, disabled: c.disabled === undefined ? false : `(${c.disabled})` })),
        },
        this.promptContext(),
      ),
    )
  }

  confirm(q: ConfirmQuestion): Promise<boolean> {
    return this.ask((p) => p.confirm({ message: q.message, default: q.default }, this.promptContext()))
  }

  say(text: string): void {
    ;(this.target ?? process.stdout).write(`${text}\n`)
  }
}
