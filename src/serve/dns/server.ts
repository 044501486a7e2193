import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import dnsPacket from 'dns-packet'
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet'
import { CloudmapError } from '../../registry/errors.js'
import type { DnsQuestion, DnsReply, Rcode } from './records.js'

/** What the server asks for each question (records.ts over the live view). */
export type Answerer = (question: DnsQuestion) => DnsReply

export interface DnsServerOptions {
  host: string
  /** 0: any free port (the same one for UDP and TCP). */
  port: number
  answer: Answerer
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
const UDP_RECEIVE_BUFFER = 1 << 20
/** A TCP connection with nothing to ask is closed after this long (RFC 7766 §6.2.3 suggests seconds). */
const TCP_IDLE_MS = 10_000

/**
 * The DNS wire for one message: decode (dns-packet), ask, encode, fit it to the transport. UDP answers
 * longer than 512 bytes, or the client's EDNS0 size, first lose the glue in the additional section
 * (RFC 2181 §9: no TC for that), then are sent empty with TC so that the client asks again over TCP,
 * where the whole answer goes. Nothing a client sends can make it throw: a message that does not decode
 * gets FORMERR (when its header can be read) or nothing.
 */
export function respond(message: Buffer, answer: Answerer, transport: 'udp' | 'tcp'): Buffer | undefined {
  let query: DecodedPacket
  try {
    query = dnsPacket.decode(message)
  } catch {
    return headerOnly(message, RCODE.FORMERR)
  }
  // Responses are not questions: answering them could loop two servers at each other.
  if (query.flag_qr) return undefined
  try {
    return answerQuery(query, answer, transport)
  } catch {
    return headerOnly(message, RCODE.SERVFAIL)
  }
}

function answerQuery(query: DecodedPacket, answer: Answerer, transport: 'udp' | 'tcp'): Buffer {
  const flags = query.flags ?? 0
  const opcode = flags & 0x7800
  const questions = query.questions ?? []
  const additionals = query.additionals ?? []
  // A header echoing the opcode and RD (RFC 1035 §4.1.1); RA stays 0: no recursion here.
  const header = (rcode: number, authoritative: boolean) => opcode | (flags & dnsPacket.RECURSION_DESIRED) | (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (rcode & 0xf)
  const bare = (rcode: number, extra: Answer[] = []) => encode({ id: query.id, type: 'response', flags: header(rcode, false), questions: echoable(questions), additionals: extra })
  if (opcode !== 0) return bare(RCODE.NOTIMP)
  let opt: OptAnswer | undefined
  for (const record of additionals) {
    if (record.type !== 'OPT') continue
    if (opt) return bare(RCODE.FORMERR)
    opt = record
  }
  if (questions.length !== 1) return bare(RCODE.FORMERR)
  // EDNS versions above 0 are answered BADVERS with our version (RFC 6891 §6.1.3).
  if (opt && opt.ednsVersion > 0) return bare(0, [ourOpt(RCODE.BADVERS)])
  const reply = answer(questions[0])
  const rcode = RCODE[reply.rcode]
  const ours = opt ? [ourOpt(rcode)] : NONE
  const full: Packet = {
    id: query.id,
    type: 'response',
    flags: header(rcode, reply.authoritative),
    questions: echoable(questions),
    answers: reply.answers,
    authorities: reply.authorities,
    additionals: reply.additionals.length === 0 ? ours : reply.additionals.concat(ours),
  }
  const encoded = encode(full)
  if (transport === 'tcp') return encoded
  const limit = Math.max(CLASSIC_UDP_SIZE, opt?.udpPayloadSize ?? 0)
  if (encoded.length <= limit) return encoded
  full.additionals = ours
  const withoutGlue = encode(full)
  if (withoutGlue.length <= limit) return withoutGlue
  full.flags! |= dnsPacket.TRUNCATED_RESPONSE
  full.answers = full.authorities = NONE
  return encode(full)
}

const NONE: Answer[] = []
/** A message is at most 65535 bytes (the TCP length prefix); answers are encoded here, then copied out. */
const scratch = Buffer.allocUnsafe(65535)

/** dns-packet's encode, into a reused buffer (no length pass, no zero-filled allocation per answer). */
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
  if (message.length < 12 || message[2] & 0x80) return undefined
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
    tcp.on('connection', (socket) => serveTcp(socket, options.answer, connections))
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
      const out = respond(message, options.answer, 'udp')
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
function serveTcp(socket: Socket, answer: Answerer, connections: Set<Socket>): void {
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
      const out = respond(message, answer, 'tcp')
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
