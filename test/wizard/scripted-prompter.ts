import type { Choice, ConfirmQuestion, InputQuestion, Prompter, SelectQuestion } from '../../src/wizard/prompter.js'
import { PromptCancelled } from '../../src/wizard/prompter.js'

/** Press Enter on the default. */
export const DEFAULT = Symbol('default')
/** Press Ctrl-C. */
export const CTRL_C = Symbol('ctrl-c')

export type ScriptedAnswer = string | boolean | typeof DEFAULT | typeof CTRL_C
/** [the start of the question it answers, the answer]: the script fails loudly when the wizard asks something else. */
export type Step = [question: string, answer: ScriptedAnswer]

export interface Rejection {
  question: string
  answer: string
  reason: string
}

/**
 * A Prompter that plays a script of answers, as a user typing would: a rejected input answer records the
 * reason the prompt showed and takes the next step for the same question (a retry). Selecting a choice
 * the wizard did not offer, or offered disabled, fails the test.
 */
export class ScriptedPrompter implements Prompter {
  readonly rejections: Rejection[] = []
  readonly said: string[] = []
  readonly asked: string[] = []
  /** The choices of every select, by question. */
  readonly offered = new Map<string, Choice<unknown>[]>()

  constructor(private readonly steps: Step[]) {}

  get remaining(): number {
    return this.steps.length
  }

  private next(question: string): Exclude<ScriptedAnswer, typeof CTRL_C> {
    this.asked.push(question)
    const step = this.steps.shift()
    if (!step) throw new Error(`The script has no answer for "${question}"`)
    if (!question.startsWith(step[0])) throw new Error(`The wizard asked "${question}", the script expected "${step[0]}"`)
    if (step[1] === CTRL_C) throw new PromptCancelled()
    return step[1]
  }

  async input(q: InputQuestion): Promise<string> {
    for (;;) {
      const answer = this.next(q.message)
      const value = answer === DEFAULT ? (q.default ?? '') : String(answer)
      const verdict = q.validate ? await q.validate(value) : true
      if (verdict === true) return value
      this.rejections.push({ question: q.message, answer: value, reason: verdict })
    }
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    this.offered.set(q.message, q.choices as Choice<unknown>[])
    const answer = this.next(q.message)
    const value = answer === DEFAULT ? (q.default ?? q.choices.find((c) => c.disabled === undefined)?.value) : answer
    const choice = q.choices.find((c) => c.value === value)
    if (!choice) throw new Error(`"${String(value)}" is not offered for "${q.message}" (offered: ${q.choices.map((c) => String(c.value)).join(', ')})`)
    if (choice.disabled !== undefined) throw new Error(`"${String(value)}" is offered disabled for "${q.message}": ${choice.disabled}`)
    return choice.value
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    const answer = this.next(q.message)
    if (answer === DEFAULT) return q.default ?? false
    if (typeof answer === 'boolean') return answer
    return /^y(es)?$/i.test(answer)
  }

  say(text: string): void {
    this.said.push(text)
  }
}
