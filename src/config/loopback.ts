/**
 * A host name or address of this machine: localhost and its subdomains (RFC 6761 §6.3), 127.0.0.0/8, or
 * ::1 (with or without the brackets of a URL). serve refuses anonymous access on any other address; the
 * wizard expects no AWS credentials for an endpoint on one.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}
