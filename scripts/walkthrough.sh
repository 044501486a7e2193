#!/usr/bin/env bash
# AWS Cloud Map's own walk-through with `aws servicediscovery` replaced by `cloudmap`, on the embedded
# local registry: no AWS account, no server, no configuration. Each command is printed before it runs.
# The registry is a fresh file unless CLOUDMAP_REGISTRY names one.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLOUDMAP_REGISTRY="${CLOUDMAP_REGISTRY:-$(mktemp -d)/registry.json}"
cloudmap() { echo "\$ cloudmap $*" >&2; node bin/run.js "$@"; }

echo "registry: $CLOUDMAP_REGISTRY" >&2
op=$(cloudmap create-public-dns-namespace --name myapp.com --query OperationId --output json | tr -d '"')
ns=$(cloudmap get-operation --operation-id "$op" --query Operation.Targets.NAMESPACE --output json | tr -d '"')
srv=$(cloudmap create-service --name frontend --namespace-id "$ns" --query Service.Id --output json | tr -d '"')
cloudmap register-instance --service-id "$srv" --instance-id 1 \
  --attributes AWS_INSTANCE_IPV4=54.20.10.1,stage=beta,version=1.0,active=yes
cloudmap register-instance --service-id "$srv" --instance-id 2 \
  --attributes AWS_INSTANCE_IPV4=54.20.10.2,stage=beta,version=2.0,active=no
cloudmap discover-instances --namespace-name myapp.com --service-name frontend \
  --query-parameters version=1.0,active=yes
