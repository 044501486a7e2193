import { afterAll, beforeAll, describe } from 'vitest'
import { RemoteRegistry } from '../../src/backends/remote/remote-registry.js'
import type { Settings } from '../../src/cli/settings.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { HAS_MOTO, type Moto, startMoto } from '../helpers/moto.js'

/**
 * The contract suite against moto_server (an independent mock of AWS) through the remote backend.
 * Where moto_server (5.2.1) departs from AWS Cloud Map's documented behaviour: the contract cases it fails,
 * by reason. Each is skipped on moto with its reason; the local registry follows AWS there. Regenerate the
 * list by running this suite with an empty table and reading the failures.
 */
const MOTO_DEPARTURES: Record<string, readonly string[]> = {
  "moto reports HealthStatus HEALTHY for a service without a health check, where AWS reports UNKNOWN": [
    "DiscoverInstances answers with HttpInstanceSummary: InstanceId, NamespaceName (the HttpName), ServiceName, HealthStatus, Attributes",
  ],
  "moto answers UpdateHttpNamespace with a lower-case operationId": [
    "UpdateHttpNamespace changes the description through an UPDATE_NAMESPACE operation on the namespace",
  ],
  "moto allows duplicate namespace and service names and keeps HttpName equal to Name": [
    "a second HTTP namespace with the same name fails with NamespaceAlreadyExists",
    "a second public DNS namespace with the same name fails with NamespaceAlreadyExists",
    "a private DNS namespace name is unique within its VPC, and may be reused in another VPC",
    "a reused namespace Name gets a distinct HttpName (\"if you reuse Name ... a generated hash is added to HttpName\")",
    "in an HTTP namespace, reached only through the API, service names may differ only by case (CreateService Name)",
    "DiscoverInstances finds a namespace by its HttpName, which differs from Name when the name was reused",
  ],
  "moto writes HostedZoneId as /hostedzone/<id>": [
    "DNS namespaces get a Route 53 hosted zone and an SOA TTL (Namespace.Properties.DnsProperties)",
  ],
  "moto accepts only ids where AWS also accepts ARNs": [
    "a namespace id or its ARN is accepted wherever a namespace Id is taken (Get/Update/DeleteNamespace Id: \"ID or ARN\")",
    "ServiceFilter NAMESPACE_ID takes a namespace id or ARN; RESOURCE_OWNER SELF or OTHER_ACCOUNTS",
  ],
  "moto ignores idempotency tokens (CreatorRequestId / UpdaterRequestId)": [
    "a retry with the same CreatorRequestId and request returns the same OperationId and creates one namespace",
    "the same CreatorRequestId for a different request fails with DuplicateRequest",
    "UpdaterRequestId: a retry returns the same operation; reused for a different change -> DuplicateRequest",
    "a CreateService retry with the same CreatorRequestId and request returns the same service",
    "a RegisterInstance retry with the same CreatorRequestId returns the same operation; the id reused for another instance -> DuplicateRequest",
  ],
  "moto does not check inputs against the model constraints, quotas or the documented cross-field rules": [
    "UpdateHttpNamespace requires Namespace.Description (HttpNamespaceChange) and limits it to 1,024 characters",
    "more than 50 tags on a new namespace fail with TooManyTagsException (50 tags per resource)",
    "each Update*Namespace applies to its own namespace type only -> InvalidInput",
    "an Update*DnsNamespace with nothing to change is rejected -> InvalidInput",
    "ListNamespaces MaxResults is 1-100 and a NextToken must be one the service gave -> InvalidInput",
    "NamespaceFilter conditions outside the documented ones are rejected -> InvalidInput",
    "CreateService needs a namespace: NamespaceId (or the deprecated DnsConfig.NamespaceId) -> InvalidInput without",
    "a service name is DNS labels of up to 63 characters, 127 in all (ServiceName pattern) -> InvalidInput",
    "DnsConfig is for DNS namespaces only, and not with Type HTTP -> InvalidInput",
    "other combinations, a repeated type or no record at all are rejected -> InvalidInput",
    "a CNAME record requires WEIGHTED routing and no Route 53 health check -> InvalidInput",
    "record Type, RoutingPolicy and TTL are checked against the model (RecordType, RoutingPolicy enums; RecordTTL 0-2147483647)",
    "HealthCheckConfig and HealthCheckCustomConfig exclude each other -> InvalidInput",
    "Route 53 health checks are for public DNS and HTTP namespaces only -> InvalidInput in a private DNS namespace",
    "HealthCheckConfig: Type HTTP/HTTPS/TCP, FailureThreshold 1-10, ResourcePath up to 255 and none for TCP -> InvalidInput otherwise",
    "Tags given to CreateService are on the service; more than 50 fail with TooManyTagsException",
    "ServiceFilter conditions outside the documented ones are rejected -> InvalidInput",
    "UpdateService can't add or change record types (\"The record type of a service ... can't be updated\") -> InvalidInput",
    "UpdateService: no Route 53 health check in a private DNS namespace, none beside a custom one, none with CNAME -> InvalidInput",
    "UpdateService of a service in an HTTP namespace: no DNS records or health check changes -> InvalidInput; the description can change",
    "UpdateService input is checked against the model (ServiceChange members) -> InvalidInput",
    "an A record requires AWS_INSTANCE_IPV4, an AAAA record AWS_INSTANCE_IPV6 -> InvalidInput without",
    "an SRV record requires AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6, and AWS_INSTANCE_PORT -> InvalidInput without",
    "a CNAME record requires AWS_INSTANCE_CNAME -> InvalidInput without",
    "a Route 53 health check requires AWS_INSTANCE_PORT, a port number -> InvalidInput without or otherwise",
    "addresses that become DNS records must be valid IPv4 / IPv6 addresses -> InvalidInput",
    "AWS_EC2_INSTANCE_ID is for HTTP namespaces only -> InvalidInput in a DNS namespace",
    "at most 30 custom attributes per instance (AWS_ attributes not counted) -> InvalidInput beyond",
    "all attribute keys and values together are at most 5,000 characters -> InvalidInput beyond",
    "attribute keys are up to 255 printable characters without spaces, values up to 1,024 (AttrKey, AttrValue) -> InvalidInput",
    "an InstanceId is up to 64 of 0-9 a-z A-Z _ / : . @ - (InstanceId pattern) -> InvalidInput",
    "AWS_INIT_HEALTH_STATUS is HEALTHY or UNHEALTHY -> InvalidInput otherwise",
    "UpdateInstanceCustomHealthStatus: Status is HEALTHY or UNHEALTHY (CustomHealthStatus) -> InvalidInput; unknown instance or service -> InstanceNotFound / ServiceNotFound",
    "DiscoverInstances MaxResults is 1-1,000 (DiscoverMaxResults) -> InvalidInput outside",
    "query and optional parameters are attribute maps checked against the model (AttrKey, AttrValue) -> InvalidInput",
    "OperationFilter conditions outside the documented ones are rejected -> InvalidInput",
    "a resource has at most 50 tags: TagResource beyond fails with TooManyTagsException and changes nothing",
    "TagResource/UntagResource input is checked against the model: at most 200 tags or keys, keys 1-128, values up to 256 characters -> InvalidInput",
    "a public DNS namespace name must be a domain name (NamespaceNamePublic pattern)",
    "an HTTP namespace name is printable ASCII, at most 1,024 characters, not starting with 'arn:' (NamespaceNameHttp)",
    "a private DNS namespace name is at most 253 characters (NamespaceNamePrivate max)",
    "Description is at most 1,024 characters and Vpc at most 64 (ResourceDescription, ResourceId max)",
    "the SOA TTL is 0 to 2,147,483,647 seconds (RecordTTL range)",
    "a missing required member is rejected (CreatePrivateDnsNamespace requires Vpc)",
    "a tag list is at most 200 long, keys 1-128 and values 0-256 characters (TagList, TagKey, TagValue)",
    "UpdatePublicDnsNamespace changes the SOA TTL; the TTL is checked against RecordTTL",
    "AWS_ALIAS_DNS_NAME needs a WEIGHTED service with A/AAAA records and excludes every AWS_INSTANCE_ attribute",
  ],
  "moto ignores filters and MaxResults/NextToken on ListNamespaces, ListServices and ListOperations, and the default of 100 on discovery": [
    "ListNamespaces lists every namespace and pages with MaxResults/NextToken",
    "NamespaceFilter TYPE with EQ (the default), IN and BEGINS_WITH",
    "NamespaceFilter NAME and HTTP_NAME with EQ and BEGINS_WITH; several filters must all match",
    "NamespaceFilter RESOURCE_OWNER: SELF lists the account's own namespaces, OTHER_ACCOUNTS those shared with it",
    "ListServices pages with MaxResults (1-100) and NextToken; ServiceSummary has InstanceCount",
    "ListInstances pages with MaxResults (1-100) and NextToken",
    "ListOperations filters TYPE and STATUS with EQ or IN",
    "ListOperations filters NAMESPACE_ID and SERVICE_ID with EQ",
    "ListOperations filters UPDATE_DATE BETWEEN a start and an end date in Unix time (start first)",
    "ListOperations pages with MaxResults (1-100) and NextToken",
  ],
  "moto never returns ServiceCount, InstanceCount, ResourceOwner, CreatedByAccount or OwnerAccount": [
    "CreateHttpNamespace returns an OperationId; GetOperation reports CREATE_NAMESPACE with the new namespace in Targets.NAMESPACE",
    "NamespaceSummary.ServiceCount counts the services of the namespace",
    "GetOperation describes an operation: Id, OwnerAccount, Type, Status, CreateDate, UpdateDate and Targets",
  ],
  "moto deletes namespaces that still have services and services that still have instances": [
    "DeleteNamespace fails with ResourceInUse while the namespace has services (\"If the namespace still contains one or more services, the request fails\")",
    "DeleteService fails with ResourceInUse while instances are registered, then deletes the service with its attributes and tags",
  ],
  "moto replaces DnsProperties / DnsConfig on update instead of applying the documented changes": [
    "UpdatePrivateDnsNamespace changes the SOA TTL and description; the hosted zone stays",
    "CreateService in an unknown namespace fails with NamespaceNotFound; GetService/DeleteService/UpdateService of an unknown id with ServiceNotFound",
    "UpdateService changes record TTLs and the description through an UPDATE_SERVICE operation on the service",
  ],
  "moto returns Service.Type only when the request gave one": [
    "CreateService / GetService / ListServices; in a DNS namespace a name differing only by case fails with ServiceAlreadyExists",
    "a service without DnsConfig is Type HTTP, one with DNS records DNS_HTTP (Service.Type)",
  ],
  "moto reports every instance HEALTHY and ignores custom health and HealthStatus rules": [
    "HealthCheckCustomConfig.FailureThreshold \"is no longer supported and is always set to 1\"; it is still checked against 1-10",
    "UpdateService: DNS records and HealthCheckConfig omitted from the request are deleted (DNS namespaces)",
    "UpdateService can't add, change or remove HealthCheckCustomConfig; omitting it keeps it",
    "GetInstancesHealthStatus reports UNKNOWN for every instance of a service without a health check",
    "custom health starts HEALTHY unless AWS_INIT_HEALTH_STATUS is UNHEALTHY; UpdateInstanceCustomHealthStatus changes it",
    "UpdateInstanceCustomHealthStatus on a service without HealthCheckCustomConfig fails with CustomHealthNotFound",
    "GetInstancesHealthStatus limits the answer to the Instances asked for; an unknown one fails with InstanceNotFound",
    "GetInstancesHealthStatus pages with MaxResults (1-100) and NextToken",
    "HEALTHY returns healthy instances, UNHEALTHY unhealthy ones, ALL every one, HEALTHY_OR_ELSE_ALL the healthy ones when there are any",
    "HEALTHY_OR_ELSE_ALL \"fails open\": with no healthy instance it returns all of them",
    "HealthStatus \"is ignored for services that don't have a health check configured, and all instances are returned\"",
    "without MaxResults, DiscoverInstances, ListInstances and GetInstancesHealthStatus return up to 100 instances (\"Cloud Map returns up to 100 instances\")",
    "InstancesRevision increases on every register and deregister, not on health updates, and DiscoverInstancesRevision reports the same value",
  ],
  "moto does not implement Get/Update/DeleteServiceAttributes (it answers HTTP 500)": [
    "GetServiceAttributes returns the service ARN and attributes; UpdateServiceAttributes adds and overwrites; DeleteServiceAttributes removes",
    "a service has at most 30 attributes: going beyond fails with ServiceAttributesLimitExceededException",
    "service attribute requests are checked against the model: 1-30 entries, keys up to 255 and values up to 1,024 characters -> InvalidInput",
    "Get/Update/DeleteServiceAttributes of an unknown service fail with ServiceNotFound",
  ],
  "moto appends a duplicate on re-registration and drops instance operations from GetOperation": [
    "RegisterInstance, GetInstance, ListInstances; re-registering an InstanceId updates it in place (\"You can use this value to update an existing instance\")",
    "DeregisterInstance is a DEREGISTER_INSTANCE operation; afterwards the instance is gone",
  ],
  "moto matches DNS service names case-sensitively": [
    "service names of DNS namespaces match case-insensitively; those of HTTP namespaces exactly",
  ],
  "moto returns instances in registration order": [
    "DiscoverInstances returns every matching instance, in random order (\"a randomized list of instances\")",
  ],
  "moto sends OperationNotFound with an empty message": [
    "GetOperation of an unknown id fails with OperationNotFound",
  ],
  "moto does not check that a tagged resource exists nor enforce tag limits": [
    "tags of an unknown resource ARN fail with ResourceNotFoundException",
    "tags go with their resource: after DeleteService / DeleteNamespace the ARN is unknown (ResourceNotFoundException)",
  ],
}

const REASON_BY_TITLE = new Map(Object.entries(MOTO_DEPARTURES).flatMap(([reason, titles]) => titles.map((title) => [title, reason] as const)))

let moto: Moto | undefined

beforeAll(async () => {
  if (HAS_MOTO) moto = await startMoto()
}, 60_000)

afterAll(async () => {
  await moto?.stop()
})

describe.skipIf(!HAS_MOTO)('moto_server', () => {
describeRegistryContract(
  'remote (moto_server)',
  async () => {
    await moto!.reset()
    const settings = { endpointUrl: moto!.url, region: 'us-east-1', regionGiven: true, accountId: '123456789012', noSignRequest: false } as Settings
    process.env.AWS_ACCESS_KEY_ID = 'test'
    process.env.AWS_SECRET_ACCESS_KEY = 'test'
    return {
      registry: new RemoteRegistry(settings),
      skip: (title: string) => REASON_BY_TITLE.get(title),
    }
  },
)
})
