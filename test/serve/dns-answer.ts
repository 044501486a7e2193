import type { DnsQuestion, DnsRecords, Random } from '../../src/serve/dns/records.js'
import { choose } from '../../src/serve/dns/records.js'

/**
 * The answer to one question as sections: its plan with routing's choice made, the way the server's
 * Responder assembles it (the tests' reference for what it must send).
 */
export function answerOf(records: DnsRecords, question: DnsQuestion, random: Random) {
  const { rcode, authoritative, sets, authorities } = records.plan(question)
  const picked = sets.flatMap((set) => choose(set, random))
  return { rcode, authoritative, answers: picked.map((c) => c.record), authorities, additionals: picked.flatMap((c) => c.glue) }
}
