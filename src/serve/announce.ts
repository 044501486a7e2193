/**
 * What serve prints on stderr at start: the environment that points AWS SDKs, the AWS CLI and Terraform
 * at it. DiscoverInstances carries the `data-` host prefix in the API model, so a client would call
 * data-127.0.0.1; SDKs skip host prefixes when an endpoint is configured with the switch shown, and for
 * AWS CLI versions without it the model copy trick (AWS_DATA_PATH) or a host name whose `data-` twin
 * resolves does the same.
 */
export function clientEnvironment(url: string, region: string): string {
  return [
    `Point clients at it:`,
    `  export AWS_ENDPOINT_URL_SERVICEDISCOVERY=${url}`,
    `  export AWS_REGION=${region} AWS_DEFAULT_REGION=${region}`,
    `  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test   # any key unless access control is on`,
    `  export AWS_DISABLE_HOST_PREFIX_INJECTION=true   # DiscoverInstances goes to "data-<host>" otherwise`,
    `Recent AWS CLI and boto3 releases honour that variable; the JS SDK takes disableHostPrefix: true`,
    `(cloudmap sets it itself). An older AWS CLI (such as Debian's 2.9) needs a copy of the service model without`,
    `the prefix, found through AWS_DATA_PATH, or a host name whose "data-" twin resolves to this address.`,
  ].join('\n')
}
