import type { NamespaceView, ServiceView, Snapshot } from './snapshot.js'

/** What the search box leaves on screen, and how many instances that is out of how many. */
export interface Filtered {
  namespaces: NamespaceView[]
  shownInstances: number
  totalInstances: number
}

/**
 * The search box: words separated by spaces, each of which must appear (case-insensitively) in a
 * namespace name, service name, instance id, attribute name or value, or `name=value` of an instance.
 * A service or namespace whose own name matches keeps everything under it.
 */
export function filterSnapshot(snapshot: Snapshot, query: string): Filtered {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean)
  let total = 0
  for (const ns of snapshot.namespaces) for (const srv of ns.services) total += srv.instances.length
  if (terms.length === 0) return { namespaces: snapshot.namespaces, shownInstances: total, totalInstances: total }
  const matchAll = (texts: string[]) => {
    const lowered = texts.map((t) => t.toLowerCase())
    return terms.every((term) => lowered.some((t) => t.includes(term)))
  }
  let shown = 0
  const namespaces: NamespaceView[] = []
  for (const ns of snapshot.namespaces) {
    const nsNames = [ns.Name, ns.HttpName, ns.Id]
    if (matchAll(nsNames)) {
      namespaces.push(ns)
      for (const srv of ns.services) shown += srv.instances.length
      continue
    }
    const services: ServiceView[] = []
    for (const srv of ns.services) {
      const srvNames = [...nsNames, srv.Name, srv.Id]
      if (matchAll(srvNames)) {
        services.push(srv)
        shown += srv.instances.length
        continue
      }
      const instances = srv.instances.filter((i) => matchAll([...srvNames, i.Id, ...Object.entries(i.Attributes).flatMap(([k, v]) => [k, v, `${k}=${v}`])]))
      if (instances.length > 0) {
        services.push({ ...srv, instances })
        shown += instances.length
      }
    }
    if (services.length > 0) namespaces.push({ ...ns, services })
  }
  return { namespaces, shownInstances: shown, totalInstances: total }
}
