import { Command, Flags } from '@oclif/core'
import { OUTPUT_FORMATS } from '../cli/arguments.js'

// Only @oclif/core (and the argument table, loaded anyway) comes with the command table; the wizard, @inquirer/prompts and conf are imported in run().

export class Init extends Command {
  static override id = 'init'
  static override summary = 'Set up a registry, a namespace, services and instances, step by step.'
  static override description = `Asks where the registry lives (a local file, or a remote endpoint it checks), then for a namespace, its services (DNS records, routing, TTL, health checks: only combinations AWS accepts) and their instances, checking every answer as the API would. Nothing is written before the final confirmation, and Ctrl-C while creating removes what was made. It ends with discover-instances of what was made and the same setup as non-interactive cloudmap commands.

Flags answer questions ahead of time; with --yes every answer comes from flags and nothing is asked (needed when standard input is not a terminal: init refuses to prompt there, exit 252).

--service takes key=value pairs (or a JSON object): name, records (A, AAAA, A+AAAA, SRV, CNAME or NONE), ttl, routing (MULTIVALUE or WEIGHTED), health (none, custom, HTTP, HTTPS or TCP), path, threshold.
--instance takes: service (optional with one service), id, ipv4, ipv6, cname, port, and attr.KEY=VALUE for custom attributes.`
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Ask nothing: take every answer from flags (and defaults) and create at once.' }),
    backend: Flags.string({ description: 'Where the registry lives.', options: ['local', 'remote'] }),
    registry: Flags.string({ description: 'Local backend: the registry file.', helpValue: 'PATH' }),
    'endpoint-url': Flags.string({ description: 'Remote backend: the Cloud Map endpoint.', helpValue: 'URL' }),
    region: Flags.string({ description: 'Remote backend: the region.', helpValue: 'REGION' }),
    profile: Flags.string({ description: 'Remote backend: the AWS profile for credentials; also the configured profile to read and save.', helpValue: 'NAME' }),
    output: Flags.string({ description: 'Format of the discover-instances output.', options: [...OUTPUT_FORMATS] }),
    'namespace-type': Flags.string({ description: 'The namespace type.', options: ['http', 'private-dns', 'public-dns'] }),
    'namespace-name': Flags.string({ description: 'The namespace name.', helpValue: 'NAME' }),
    vpc: Flags.string({ description: 'Private DNS namespaces: the VPC id.', helpValue: 'VPC_ID' }),
    service: Flags.string({ description: 'A service (repeatable): name=web,records=A,ttl=60,routing=MULTIVALUE,health=custom', multiple: true, helpValue: 'SPEC' }),
    instance: Flags.string({ description: 'An instance (repeatable): service=web,id=web-1,ipv4=10.0.0.1,port=8080,attr.stage=beta', multiple: true, helpValue: 'SPEC' }),
    'save-profile': Flags.string({ description: 'Afterwards, remember the backend in this configured profile.', helpValue: 'NAME' }),
  }
  static override examples = [
    { description: 'Answer the questions in a terminal:', command: '<%= config.bin %> init' },
    {
      description: 'The same, unattended (CI), on a given registry file:',
      command: '<%= config.bin %> init --yes --registry ./registry.json --namespace-type http --namespace-name myapp --service name=web,health=custom --instance id=web-1,ipv4=10.0.0.1,port=8080,attr.stage=beta',
    },
    {
      description: 'A public DNS namespace with a Route 53 health check:',
      command: '<%= config.bin %> init --yes --namespace-type public-dns --namespace-name example.com --service name=www,records=A,ttl=300,health=HTTPS,path=/health --instance id=www-1,ipv4=192.0.2.10,port=443',
    },
    { description: 'Against moto, remembering the endpoint for later commands:', command: '<%= config.bin %> init --endpoint-url http://127.0.0.1:5000 --region us-east-1 --save-profile moto' },
  ]

  async run(): Promise<void> {
    let flags
    try {
      flags = (await this.parse(Init)).flags
    } catch (error) {
      ;(await import('../config/command-support.js')).reportFailure(error, 'init')
      return
    }
    const { runInit } = await import('../wizard/run-init.js')
    process.exitCode = await runInit(flags, {
      env: process.env,
      stdinIsTTY: process.stdin.isTTY === true,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    })
  }
}
