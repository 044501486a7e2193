import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import dnsPacket from 'dns-packet'
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet'
import { CloudmapError } from '../../registry/errors.js'
import { choose, type Candidate, type DnsPlan, type DnsQuestion, type Random, type Rcode, type RecordSet } from './records.js'

/**
 * The records answered from: a new object on each registry change (the DNS face replaces it on each
 * event of the change feed), which is what tells the server's prepared answers are out of date.
 */
export interface Zones {
  plan(question: DnsQuestion): DnsPlan
}

export interface DnsServerOptions {
  host: string
  /** 0: any free port (the same one for UDP and TCP). */
  port: number
  /** The records now. */
  zones: () => Zones
  /** Routing's random choices. */
  random: Random
}

export interface DnsServer {
  host: string
  port: number
  close(): Promise<void>
}

const RCODE: Record<Rcode | 'BADVERS', number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 }
/** A UDP answer without EDNS0 fits in 512 bytes (RFC 1035 §4.2.1); EDNS0 sizes below that count as 512 (RFC 6891 §6.2.5). */
const CLASSIC_UDP_SIZE = 512
/** The UDP payload size this server advertises (the DNS flag day 2020 value, safe from fragmentation). */
const OUR_UDP_SIZE = 1232
/** A message is at most 65535 bytes (the TCP length prefix). */
const MAX_MESSAGE = 65535
/** A message's header: ID, flags and the four section counts (RFC 1035 §4.1.1). */
const HEADER_SIZE = 12
const UDP_RECEIVE_BUFFER = 1 << 20
/** A TCP connection with nothing to ask is closed after this long (RFC 7766 §6.2.3 suggests seconds). */
const TCP_IDLE_MS = 10_000
/** Distinct queries whose answers are kept prepared; past that the cache starts again (random names can't grow it without bound). */
const PREPARED_MAX = 4096

/**
 * How the answer to one query (its bytes after the ID, on one transport) is made while the records are
 * unchanged: a whole message with the ID to fill in, or, when routing chooses per query, the message's
 * fixed parts encoded by dns-packet, to which the chosen records' encodings are joined. A message is its
 * header then its sections' records one after another (RFC 1035 §4.1, what dns-packet's encode writes),
 * so joining encoded records is encoding the packet; only the header's ID, TC flag and counts are written here.
 */
type Prepared = { whole: Buffer } | Assembly

interface Assembly {
  /** Header (ID 0, no answer/authority/additional counts yet) and the question section. */
  head: Buffer
  sets: readonly RecordSet[]
  authorities: Buffer
  authorityCount: number
  /** Our OPT record when the query had one (RFC 6891 §7), last in the additional section. */
  opt: Buffer
  optCount: number
  /** The UDP size the answer must fit (Infinity over TCP). */
  limit: number
}

/** A record and its glue, encoded once per record (records.ts keeps the same objects while a service is unchanged). */
interface EncodedCandidate {
  record: Buffer
  glue: Buffer
  glueCount: number
}

const encodedCandidates = new WeakMap<Candidate, EncodedCandidate>()

function encoded(candidate: Candidate): EncodedCandidate {
  let known = encodedCandidates.get(candidate)
  if (!known) encodedCandidates.set(candidate, (known = { record: section([candidate.record]), glue: section(candidate.glue), glueCount: candidate.glue.length }))
  return known
}

/** Records as dns-packet encodes them in a section: a packet holding only them, without its header. */
function section(records: Answer[]): Buffer {
  return records.length === 0 ? EMPTY : encode({ type: 'response', answers: records }).subarray(HEADER_SIZE)
}

const EMPTY = Buffer.alloc(0)

/**
 * The DNS wire: decode (dns-packet), ask, encode, fit it to the transport. UDP answers longer than 512
 * bytes, or the client's EDNS0 size, first lose the glue in the additional section (RFC 2181 §9: no TC
 * for that), then are sent empty with TC so that the client asks again over TCP, where the whole answer
 * goes. Nothing a client sends can make it throw: a message that does not decode gets FORMERR (when its
 * header can be read) or nothing.
 *
 * A query's answer is prepared once per distinct query and records object (20,000 queries/s ask the same
 * few names), so a query costs a map lookup, routing's choice, and copying bytes.
 */
export class Responder {
  /** By transport, the prepared answers by the query's bytes after its ID. */
  private readonly prepared = { udp: new Map<string, Prepared | null>(), tcp: new Map<string, Prepared | null>() }
  private preparedFor: Zones | undefined

  constructor(
    private readonly zones: () => Zones,
    private readonly random: Random,
  ) {}

  respond(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    // Shorter than a header: nothing to answer (not even FORMERR, which needs the ID).
    if (message.length < HEADER_SIZE) return undefined
    const zones = this.zones()
    if (zones !== this.preparedFor) {
      this.prepared.udp.clear()
      this.prepared.tcp.clear()
      this.preparedFor = zones
    }
    const known = this.prepared[transport]
    const key = message.toString('latin1', 2)
    let prepared = known.get(key)
    if (prepared === undefined) {
      try {
        prepared = prepare(message, zones, transport)
      } catch {
        return headerOnly(message, RCODE.SERVFAIL)
      }
      if (known.size >= PREPARED_MAX) known.clear()
      known.set(key, prepared)
    }
    if (prepared === null) return undefined
    const id = message.readUInt16BE(0)
    if ('whole' in prepared) return withId(prepared.whole, id)
    try {
      return assemble(prepared, chosen(prepared.sets, this.random), id)
    } catch {
      return headerOnly(message, RCODE.SERVFAIL)
    }
  }
}

/** Routing's choice from each set, encoded (plain loops: this runs for every query). */
function chosen(sets: readonly RecordSet[], random: Random): EncodedCandidate[] {
  const out: EncodedCandidate[] = []
  for (const set of sets) for (const candidate of choose(set, random)) out.push(encoded(candidate))
  return out
}

/** The answer to a query, prepared: null when it gets none. */
function prepare(message: Buffer, zones: Zones, transport: 'udp' | 'tcp'): Prepared | null {
  let query: DecodedPacket
  try {
    query = dnsPacket.decode(message)
  } catch {
    const whole = headerOnly(message, RCODE.FORMERR)
    return whole ? { whole } : null
  }
  // Responses are not questions: answering them could loop two servers at each other.
  if (query.flag_qr) return null
  const flags = query.flags ?? 0
  const opcode = flags & 0x7800
  const questions = echoable(query.questions ?? [])
  const additionals = query.additionals ?? []
  // A header echoing the opcode and RD (RFC 1035 §4.1.1); RA stays 0: no recursion here.
  const header = (rcode: number, authoritative: boolean) => opcode | (flags & dnsPacket.RECURSION_DESIRED) | (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (rcode & 0xf)
  const bare = (rcode: number, extra: Answer[] = []) => ({ whole: encode({ type: 'response', flags: header(rcode, false), questions, additionals: extra }) })
  if (opcode !== 0) return bare(RCODE.NOTIMP)
  let opt: OptAnswer | undefined
  for (const record of additionals) {
    if (record.type !== 'OPT') continue
    if (opt) return bare(RCODE.FORMERR)
    opt = record
  }
  if (query.questions?.length !== 1) return bare(RCODE.FORMERR)
  // EDNS versions above 0 are answered BADVERS with our version (RFC 6891 §6.1.3).
  if (opt && opt.ednsVersion > 0) return bare(0, [ourOpt(RCODE.BADVERS)])
  const plan = zones.plan(query.questions[0])
  const rcode = RCODE[plan.rcode]
  const assembly: Assembly = {
    head: encode({ type: 'response', flags: header(rcode, plan.authoritative), questions }),
    sets: plan.sets,
    authorities: section(plan.authorities),
    authorityCount: plan.authorities.length,
    opt: opt ? section([ourOpt(rcode)]) : EMPTY,
    optCount: opt ? 1 : 0,
    limit: transport === 'tcp' ? Infinity : Math.max(CLASSIC_UDP_SIZE, opt?.udpPayloadSize ?? 0),
  }
  // Without a random choice, every query gets the same message: assemble it once.
  if (plan.varies) return assembly
  return { whole: assemble(assembly, chosen(plan.sets, noRandom), 0) }
}

const noRandom: Random = () => {
  throw new Error('a set that answers all its records chose at random')
}

/** The message: header, question, the chosen records, authorities, glue, OPT; fitted to the UDP size. */
function assemble(parts: Assembly, picked: EncodedCandidate[], id: number): Buffer {
  let recordsSize = 0
  let glueSize = 0
  let glueCount = 0
  for (const c of picked) {
    recordsSize += c.record.length
    glueSize += c.glue.length
    glueCount += c.glueCount
  }
  const fixedSize = parts.head.length + parts.opt.length
  let withGlue = true
  let truncated = false
  if (fixedSize + recordsSize + parts.authorities.length + glueSize > parts.limit) {
    withGlue = false
    if (fixedSize + recordsSize + parts.authorities.length > parts.limit) truncated = true
  }
  const size = fixedSize + (truncated ? 0 : recordsSize + parts.authorities.length) + (withGlue ? glueSize : 0)
  if (size > MAX_MESSAGE) throw new RangeError(`an answer of ${size} bytes is longer than a DNS message`)
  const out = Buffer.allocUnsafe(size)
  out.set(parts.head, 0)
  let at = parts.head.length
  out.writeUInt16BE(id, 0)
  if (truncated) out.writeUInt16BE(parts.head.readUInt16BE(2) | dnsPacket.TRUNCATED_RESPONSE, 2)
  out.writeUInt16BE(truncated ? 0 : picked.length, 6)
  out.writeUInt16BE(truncated ? 0 : parts.authorityCount, 8)
  out.writeUInt16BE((withGlue ? glueCount : 0) + parts.optCount, 10)
  // TypedArray set rather than Buffer copy: no argument checks per record.
  if (!truncated) {
    for (const c of picked) {
      out.set(c.record, at)
      at += c.record.length
    }
    out.set(parts.authorities, at)
    at += parts.authorities.length
  }
  if (withGlue) {
    for (const c of picked) {
      out.set(c.glue, at)
      at += c.glue.length
    }
  }
  out.set(parts.opt, at)
  return out
}

function withId(whole: Buffer, id: number): Buffer {
  const out = Buffer.allocUnsafe(whole.length)
  whole.copy(out)
  out.writeUInt16BE(id, 0)
  return out
}

/** A message is at most 65535 bytes (the TCP length prefix); messages are encoded here, then copied out. */
const scratch = Buffer.allocUnsafe(MAX_MESSAGE)

/** dns-packet's encode, into a reused buffer (no length pass, no zero-filled allocation per message). */
function encode(packet: Packet): Buffer {
  dnsPacket.encode(packet, scratch, 0)
  return Buffer.from(scratch.subarray(0, dnsPacket.encode.bytes))
}

/** The questions to repeat in the answer: dns-packet can't encode a class it does not know by name. */
function echoable(questions: Question[]): Question[] {
  return questions.every((q) => q.class === undefined || !q.class.startsWith('UNKNOWN_')) ? questions : []
}

function ourOpt(rcode: number): Answer {
  // The extended RCODE's upper 8 bits go in the OPT record (RFC 6891 §6.1.3).
  return { name: '.', type: 'OPT', udpPayloadSize: OUR_UDP_SIZE, extendedRcode: rcode >> 4, ednsVersion: 0, flags: 0, flag_do: false, options: [] }
}

/** An answer with the query's id and no sections, for a query whose sections can't be read. */
function headerOnly(message: Buffer, rcode: number): Buffer | undefined {
  if (message.length < HEADER_SIZE || message[2] & 0x80) return undefined
  const flags = message.readUInt16BE(2)
  return encode({ id: message.readUInt16BE(0), type: 'response', flags: (flags & 0x7800) | (flags & dnsPacket.RECURSION_DESIRED) | (rcode & 0xf) })
}

/** Listen on UDP and TCP on the same port (port 0: a free port for both), and answer every query. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const where = `${options.host}:${options.port}`
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new CloudmapError('other', `cloudmap serve can't answer DNS on ${where}: a port is a number from 0 to 65535 (0 picks a free one).`)
  }
  // With port 0, the free TCP port may be taken for UDP: try a few.
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer()
    const connections = new Set<Socket>()
    const responder = new Responder(options.zones, options.random)
    tcp.on('connection', (socket) => serveTcp(socket, responder, connections))
    const port = await listen(tcp, options.host, options.port, where)
    // A receive buffer for bursts (the kernel caps it at net.core.rmem_max): queries that arrive while
    // serve is busy wait instead of being dropped (a dropped query costs the client a retry, seconds).
    const udp = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: UDP_RECEIVE_BUFFER })
    try {
      await bindUdp(udp, options.host, port)
    } catch (error) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()))
      if (options.port === 0 && attempt < 5 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue
      throw failure(where, error as NodeJS.ErrnoException)
    }
    // Errors after start (a send to a vanished client, an accept that hits the file limit) must not end serve.
    udp.on('error', () => {})
    tcp.on('error', () => {})
    udp.on('message', (message, peer) => {
      const out = responder.respond(message, 'udp')
      if (out) udp.send(out, peer.port, peer.address)
    })
    return {
      host: options.host,
      port,
      close: async () => {
        const closed = new Promise<void>((resolve) => tcp.close(() => resolve()))
        for (const socket of connections) socket.destroy()
        await closed
        await new Promise<void>((resolve) => udp.close(() => resolve()))
      },
    }
  }
}

/** DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 §4.2.2); several may be pipelined (RFC 7766). */
function serveTcp(socket: Socket, responder: Responder, connections: Set<Socket>): void {
  connections.add(socket)
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy())
  socket.on('error', () => socket.destroy())
  socket.on('close', () => connections.delete(socket))
  let pending: Buffer = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0)
      if (pending.length < 2 + length) break
      const message = pending.subarray(2, 2 + length)
      pending = pending.subarray(2 + length)
      const out = responder.respond(message, 'tcp')
      if (!out) continue
      const framed = Buffer.allocUnsafe(2 + out.length)
      framed.writeUInt16BE(out.length, 0)
      out.copy(framed, 2)
      socket.write(framed)
    }
  })
}

function failure(where: string, error: NodeJS.ErrnoException): CloudmapError {
  const why =
    error.code === 'EADDRINUSE'
      ? 'the port is already in use; choose another with --dns-port (0 picks a free one)'
      : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
        ? `that is not an address of this machine; use --dns-host 127.0.0.1, or 0.0.0.0 for every address`
        : error.code === 'EACCES'
          ? 'permission denied (ports below 1024, such as 53, need privileges)'
          : error.message
  return new CloudmapError('other', `cloudmap serve can't answer DNS on ${where}: ${why}.`)
}

function listen(server: Server, host: string, port: number, where: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(failure(where, error))
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      socket.close()
      reject(error)
    }
    socket.once('error', onError)
    socket.bind(port, host, () => {
      socket.off('error', onError)
      resolve()
    })
  })
}
