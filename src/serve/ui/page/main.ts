import htm from 'htm'
import type { ComponentChildren } from 'preact'
import { h, render } from 'preact'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { DashboardState } from './dashboard.js'
import { Dashboard } from './dashboard.js'
import type { Filtered } from './search.js'
import { filterSnapshot } from './search.js'
import type { Health, InstanceView, NamespaceView, OperationView, ServiceView, Snapshot } from './snapshot.js'

const html = htm.bind(h)

const HEALTH_TEXT: Record<Health, { icon: string; label: string }> = {
  HEALTHY: { icon: '✓', label: 'HEALTHY' },
  UNHEALTHY: { icon: '✗', label: 'UNHEALTHY' },
  UNKNOWN: { icon: '?', label: 'UNKNOWN' },
}

function HealthBadge({ status }: { status: Health }) {
  const text = HEALTH_TEXT[status] ?? HEALTH_TEXT.UNKNOWN
  return html`<span class=${`badge health-${status.toLowerCase()}`}><span aria-hidden="true">${text.icon}</span> ${text.label}</span>`
}

function StatusBadge({ status }: { status: string }) {
  const kind = status === 'SUCCESS' ? 'ok' : status === 'FAIL' ? 'bad' : 'busy'
  return html`<span class=${`badge status-${kind}`}>${status}</span>`
}

function healthCounts(services: readonly ServiceView[]): Record<Health, number> {
  const counts: Record<Health, number> = { HEALTHY: 0, UNHEALTHY: 0, UNKNOWN: 0 }
  for (const srv of services) for (const i of srv.instances) counts[i.HealthStatus] = (counts[i.HealthStatus] ?? 0) + 1
  return counts
}

function Counts({ services }: { services: readonly ServiceView[] }) {
  const counts = healthCounts(services)
  return html`<span class="counts">
    ${(['HEALTHY', 'UNHEALTHY', 'UNKNOWN'] as Health[]).filter((s) => counts[s] > 0).map((s) => html`<span class=${`count health-${s.toLowerCase()}`}>${counts[s]} ${s.toLowerCase()}</span>`)}
  </span>`
}

function dnsText(srv: ServiceView): string {
  const dns = srv.DnsConfig
  if (!dns) return 'none (API discovery only)'
  const records = (dns.DnsRecords ?? []).map((r) => `${r.Type} (TTL ${r.TTL}s)`).join(', ')
  return `${records || 'no records'} · ${dns.RoutingPolicy ?? 'MULTIVALUE'} routing`
}

function healthConfigText(srv: ServiceView): string {
  if (srv.HealthCheckCustomConfig) return `custom (reported by the application)${srv.HealthCheckCustomConfig.FailureThreshold ? `, failure threshold ${srv.HealthCheckCustomConfig.FailureThreshold}` : ''}`
  const check = srv.HealthCheckConfig
  if (check) {
    const probing = srv.probing === false ? ' (not probed: serve runs with --no-health-checks)' : srv.probing ? ', probed by serve' : ''
    return `Route 53 ${check.Type ?? ''} check${check.ResourcePath ? ` of ${check.ResourcePath}` : ''}${check.FailureThreshold ? `, failure threshold ${check.FailureThreshold}` : ''}${probing}`
  }
  return 'none (health is UNKNOWN)'
}

function Attributes({ attributes }: { attributes: Record<string, string> }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))
  if (entries.length === 0) return html`<span class="muted">none</span>`
  return html`<ul class="attributes">
    ${entries.map(([k, v]) => html`<li><span class="key">${k}</span>=<span class="value">${v}</span></li>`)}
  </ul>`
}

function Probe({ probe }: { probe: NonNullable<InstanceView['probe']> }) {
  const last = probe.Last
  return html`<div class="probe" data-probe=${last ? (last.Healthy ? 'pass' : 'fail') : 'none'}>
    ${last
      ? html`last probe <span class=${last.Healthy ? 'probe-pass' : 'probe-fail'}>${last.Healthy ? 'passed' : 'failed'}</span>: ${last.Detail} <span class="muted">at ${formatTime(Date.parse(last.At) / 1000)}</span>`
      : html`<span class="muted">not probed yet</span>`}
    <div class="muted mono">${probe.Target}</div>
  </div>`
}

function InstanceRow({ instance }: { instance: InstanceView }) {
  return html`<tr data-instance=${instance.Id} data-health=${instance.HealthStatus}>
    <th scope="row" class="mono">${instance.Id}</th>
    <td><${HealthBadge} status=${instance.HealthStatus} />${instance.probe ? html`<${Probe} probe=${instance.probe} />` : null}</td>
    <td><${Attributes} attributes=${instance.Attributes} /></td>
  </tr>`
}

function Service({ srv, namespace }: { srv: ServiceView; namespace: NamespaceView }) {
  const total = srv.InstanceCount
  return html`<article class="service" id=${`svc-${srv.Id}`} data-service=${srv.Name} aria-labelledby=${`svc-${srv.Id}-name`}>
    <header>
      <h3 id=${`svc-${srv.Id}-name`}>${srv.Name}</h3>
      <span class="muted mono">${srv.Id}</span>
      <${Counts} services=${[srv]} />
    </header>
    ${srv.Description ? html`<p class="description">${srv.Description}</p>` : null}
    <dl class="config">
      <div><dt>DNS</dt><dd>${dnsText(srv)}</dd></div>
      <div><dt>Health check</dt><dd>${healthConfigText(srv)}</dd></div>
      <div><dt>Instances revision</dt><dd class="mono" data-revision>${srv.InstancesRevision ?? '–'}</dd></div>
      <div><dt>Instances</dt><dd>${srv.instances.length}${total !== undefined && total > srv.instances.length ? ` of ${total}` : ''}</dd></div>
    </dl>
    ${srv.instancesError
      ? html`<p class="notice">${srv.instancesError}</p>`
      : srv.instances.length === 0
        ? html`<p class="muted">No instances registered.</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${`Instances of ${srv.Name} in ${namespace.Name}`}>
            <table class="instances">
              <thead><tr><th scope="col">Instance</th><th scope="col">Health</th><th scope="col">Attributes</th></tr></thead>
              <tbody>${srv.instances.map((i) => html`<${InstanceRow} key=${i.Id} instance=${i} />`)}</tbody>
            </table>
          </div>`}
  </article>`
}

function Namespace({ ns }: { ns: NamespaceView }) {
  return html`<section class="namespace" id=${`ns-${ns.Id}`} data-namespace=${ns.Name} aria-labelledby=${`ns-${ns.Id}-name`}>
    <header>
      <h2 id=${`ns-${ns.Id}-name`}>${ns.Name}</h2>
      <span class="tag">${ns.Type}</span>
      <span class="muted mono">${ns.Id}</span>
      ${ns.HttpName !== ns.Name ? html`<span class="muted">HTTP name ${ns.HttpName}</span>` : null}
    </header>
    ${ns.Description ? html`<p class="description">${ns.Description}</p>` : null}
    ${ns.servicesError ? html`<p class="notice">${ns.servicesError}</p>` : null}
    ${ns.services.length === 0 && !ns.servicesError ? html`<p class="muted">No services.</p>` : null}
    ${ns.services.map((srv) => html`<${Service} key=${srv.Id} srv=${srv} namespace=${ns} />`)}
  </section>`
}

function formatTime(seconds: number | undefined): string {
  if (seconds === undefined) return '–'
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? '–' : date.toLocaleString()
}

function Operations({ snapshot }: { snapshot: Snapshot }) {
  return html`<section class="operations" id="operations" aria-labelledby="operations-title">
    <header><h2 id="operations-title">Recent operations</h2></header>
    ${snapshot.operationsError ? html`<p class="notice">${snapshot.operationsError}</p>` : null}
    ${snapshot.operations.length === 0 && !snapshot.operationsError
      ? html`<p class="muted">No operations.</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Recent operations">
          <table>
            <thead><tr><th scope="col">Operation</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Updated</th><th scope="col">Targets</th></tr></thead>
            <tbody>
              ${snapshot.operations.map(
                (op: OperationView) => html`<tr key=${op.Id} data-operation=${op.Id}>
                  <th scope="row" class="mono">${op.Id}</th>
                  <td>${op.Type ?? ''}</td>
                  <td><${StatusBadge} status=${op.Status} />${op.ErrorMessage ? html` <span class="muted">${op.ErrorMessage}</span>` : null}</td>
                  <td>${formatTime(op.UpdateDate)}</td>
                  <td class="mono">${Object.entries(op.Targets ?? {}).map(([k, v]) => html`<div>${k.toLowerCase()} ${v}</div>`)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`}
  </section>`
}

function Navigation({ filtered }: { filtered: Filtered }) {
  return html`<nav class="sidebar" aria-label="Namespaces and services">
    <h2 class="sr-only">Namespaces</h2>
    <ul>
      ${filtered.namespaces.map(
        (ns) => html`<li key=${ns.Id}>
          <a href=${`#ns-${ns.Id}`}>${ns.Name}</a>
          <ul>
            ${ns.services.map((srv) => {
              const counts = healthCounts([srv])
              return html`<li key=${srv.Id}><a href=${`#svc-${srv.Id}`}>${srv.Name}${counts.UNHEALTHY > 0 ? html` <span class="count health-unhealthy">${counts.UNHEALTHY} unhealthy</span>` : null}</a></li>`
            })}
          </ul>
        </li>`,
      )}
      <li><a href="#operations">Recent operations</a></li>
    </ul>
  </nav>`
}

function KeyForm({ dashboard, state }: { dashboard: Dashboard; state: DashboardState }) {
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const accessKeyId = String(form.get('accessKeyId') ?? '').trim()
    const secretAccessKey = String(form.get('secretAccessKey') ?? '')
    const sessionToken = String(form.get('sessionToken') ?? '').trim()
    if (!accessKeyId || !secretAccessKey) return
    setBusy(true)
    try {
      await dashboard.signIn({ accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined })
    } finally {
      setBusy(false)
    }
  }
  return html`<form class="key-form" onSubmit=${submit} aria-labelledby="key-title">
    <h2 id="key-title">Access control is on</h2>
    <p>This serve checks signatures. Give an access key: the dashboard signs its API calls with it (SigV4), so it shows exactly what the key may see. The key stays in this browser tab only.</p>
    ${state.keyError ? html`<p class="notice" role="alert">The key was refused: ${state.keyError}</p>` : null}
    <label>Access key ID <input name="accessKeyId" autocomplete="username" required autofocus spellcheck=${false} /></label>
    <label>Secret access key <input name="secretAccessKey" type="password" autocomplete="current-password" required /></label>
    <label>Session token <span class="muted">(optional)</span> <input name="sessionToken" type="password" autocomplete="off" /></label>
    <button type="submit" disabled=${busy}>${busy ? 'Checking…' : 'Sign in'}</button>
  </form>`
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

const LINK_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' }

function Summary({ filtered, snapshot, query }: { filtered: Filtered; snapshot: Snapshot; query: string }) {
  const services = snapshot.namespaces.reduce((n, ns) => n + ns.services.length, 0)
  const counts = healthCounts(snapshot.namespaces.flatMap((ns) => ns.services))
  return html`<p class="summary" aria-live="polite">
    ${plural(snapshot.namespaces.length, 'namespace')} · ${plural(services, 'service')} · ${plural(filtered.totalInstances, 'instance')}
    ${counts.UNHEALTHY > 0 ? html` · <span class="count health-unhealthy">${counts.UNHEALTHY} unhealthy</span>` : null}
    ${query.trim() ? html` · <strong data-search-result>showing ${filtered.shownInstances} of ${filtered.totalInstances} instances</strong>` : null}
    ${snapshot.hiddenNamespaces > 0 ? html` · <span class="muted">${snapshot.hiddenNamespaces} more not readable with this key</span>` : null}
  </p>`
}

function App({ dashboard }: { dashboard: Dashboard }) {
  const [state, setState] = useState(dashboard.state)
  const [query, setQuery] = useState('')
  const search = useRef<HTMLInputElement>(null)
  useEffect(() => dashboard.onChange(setState), [dashboard])
  useEffect(() => {
    // "/" jumps to the search box, as on many dashboards.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement
      if (event.key === '/' && !['INPUT', 'TEXTAREA'].includes(target.tagName)) {
        event.preventDefault()
        search.current?.focus()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
  const filtered = useMemo(() => (state.snapshot ? filterSnapshot(state.snapshot, query) : undefined), [state.snapshot, query])

  let body: ComponentChildren
  if (state.phase === 'needs-key') body = html`<${KeyForm} dashboard=${dashboard} state=${state} />`
  else if (!state.snapshot || !filtered) body = state.phase === 'failed' ? null : html`<p class="muted">Reading the registry…</p>`
  else
    body = html`
      <${Summary} filtered=${filtered} snapshot=${state.snapshot} query=${query} />
      ${filtered.namespaces.length === 0 ? html`<p class="muted">${query.trim() ? 'Nothing matches the search.' : 'No namespaces yet: create one with cloudmap create-http-namespace.'}</p>` : null}
      ${filtered.namespaces.map((ns) => html`<${Namespace} key=${ns.Id} ns=${ns} />`)}
      <${Operations} snapshot=${state.snapshot} />`

  return html`
    <a class="skip" href="#main">Skip to the registry</a>
    <header class="top">
      <h1><span class="brand">cloudmap</span> dashboard</h1>
      <span class=${`link link-${state.link}`} data-link=${state.link}>
        <span aria-hidden="true">●</span> ${LINK_TEXT[state.link]}${state.updatedAt ? ` · updated ${state.updatedAt.toLocaleTimeString()}` : ''}
      </span>
      <input
        ref=${search}
        class="search"
        type="search"
        aria-label="Search names, ids and attributes"
        placeholder="Search names, ids, attributes (press /)"
        value=${query}
        onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)}
        onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && setQuery('')}
        disabled=${state.phase === 'needs-key'}
      />
      ${state.signedIn ? html`<button type="button" class="sign-out" onClick=${() => void dashboard.signOut()}>Forget key</button>` : null}
    </header>
    <div class="layout">
      ${filtered && state.phase === 'ready' ? html`<${Navigation} filtered=${filtered} />` : null}
      <main id="main" tabindex="-1" data-loads=${state.loads} data-phase=${state.phase}>
        ${state.error ? html`<p class="notice" role="alert">${state.error}</p>` : null}
        ${body}
      </main>
    </div>
  `
}

const dashboard = new Dashboard()
const root = document.getElementById('app')
if (root) render(html`<${App} dashboard=${dashboard} />`, root)
void dashboard.start()
