import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningServe } from '../../src/serve/index.js'
import type { AuthOptions } from '../../src/serve/auth/index.js'
import { tempRegistry } from '../helpers/cli.js'
import { serveHere } from '../helpers/serve.js'

/** The keys of the access-control tests: one user per rule the issue lists. */
export const KEYS = {
  admin: { accessKeyId: 'ADMINKEY', secretAccessKey: 'admin-secret' },
  reader: { accessKeyId: 'READERKEY', secretAccessKey: 'reader-secret' },
  prod: { accessKeyId: 'PRODKEY', secretAccessKey: 'prod-secret' },
  nodelete: { accessKeyId: 'NODELETEKEY', secretAccessKey: 'nodelete-secret' },
  blue: { accessKeyId: 'BLUEKEY', secretAccessKey: 'blue-secret' },
  loopback: { accessKeyId: 'LOOPBACKKEY', secretAccessKey: 'loopback-secret' },
  office: { accessKeyId: 'OFFICEKEY', secretAccessKey: 'office-secret' },
  session: { accessKeyId: 'SESSIONKEY', secretAccessKey: 'session-secret', sessionToken: 'the-session-token' },
}

/**
 * The auth file: discovery in the namespace "prod" only; everything but deleting namespaces; instances
 * registered only in services tagged team=blue; listing allowed from loopback addresses only, or from an
 * office network the tests never come from (aws:SourceIp). (The admin and reader keys come from --auth
 * and --read-only-auth.)
 */
export const AUTH_FILE = `# access rules of the auth tests
users:
  - name: prod-discovery
    keys:
      - id: ${KEYS.prod.accessKeyId}
        secret: ${KEYS.prod.secretAccessKey}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["servicediscovery:DiscoverInstances", "servicediscovery:DiscoverInstancesRevision"]
            Resource: "*"
            Condition:
              StringEquals:
                servicediscovery:NamespaceName: prod
  - name: no-delete
    keys:
      - id: ${KEYS.nodelete.accessKeyId}
        secret: ${KEYS.nodelete.secretAccessKey}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "servicediscovery:*"
            Resource: "*"
          - Effect: Deny
            Action: "servicediscovery:DeleteNamespace"
            Resource: "arn:aws:servicediscovery:*:*:namespace/*"
  - name: team-blue
    keys:
      - id: ${KEYS.blue.accessKeyId}
        secret: ${KEYS.blue.secretAccessKey}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["servicediscovery:Get*", "servicediscovery:List*"]
            Resource: "*"
          - Effect: Allow
            Action: "servicediscovery:RegisterInstance"
            Resource: "arn:aws:servicediscovery:*:*:service/*"
            Condition:
              StringEquals:
                aws:ResourceTag/team: blue
  - name: loopback-only
    keys:
      - id: ${KEYS.loopback.accessKeyId}
        secret: ${KEYS.loopback.secretAccessKey}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "servicediscovery:ListNamespaces"
            Resource: "*"
            Condition:
              IpAddress:
                aws:SourceIp: ["127.0.0.0/8", "::1/128"]
  - name: office-only
    keys:
      - id: ${KEYS.office.accessKeyId}
        secret: ${KEYS.office.secretAccessKey}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "servicediscovery:ListNamespaces"
            Resource: "*"
            Condition:
              IpAddress:
                aws:SourceIp: "203.0.113.0/24"
  - name: with-session
    keys:
      - id: ${KEYS.session.accessKeyId}
        secret: ${KEYS.session.secretAccessKey}
        session_token: ${KEYS.session.sessionToken}
    policies:
      - Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "servicediscovery:ListNamespaces"
            Resource: "*"
`

export interface AuthServe {
  serve: RunningServe
  dir: string
  authFile: string
  logs: string[]
}

/** serve in this process with access control: --auth admin, --read-only-auth reader, --auth-file. */
export async function startAuthServe(extra: Partial<AuthOptions> = {}): Promise<AuthServe> {
  const { dir, path } = tempRegistry()
  const authFile = join(dir, 'auth.yaml')
  writeFileSync(authFile, AUTH_FILE)
  const logs: string[] = []
  const serve = await serveHere({
    registryPath: path,
    log: (line) => logs.push(line),
    faces: [
      {
        name: 'auth',
        start: async (ctx) =>
          (await import('../../src/serve/auth/index.js')).startAuth(ctx, {
            keys: [
              { ...KEYS.admin, access: 'full', source: '--auth' },
              { ...KEYS.reader, access: 'read-only', source: '--read-only-auth' },
            ],
            authFile,
            allowAnonymous: false,
            host: '127.0.0.1',
            region: 'us-east-1',
            accountId: '123456789012',
            ...extra,
          }),
      },
    ],
  })
  return { serve, dir, authFile, logs }
}
