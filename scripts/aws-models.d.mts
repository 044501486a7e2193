/**
 * Writes the model copy into a new folder inside `parent` (the caller removes it) and returns that folder
 * (the AWS_DATA_PATH value), or undefined when there is no model to copy. `source`: a model folder
 * (service-2.json or service-2.json.gz, and paginators), by default the Python botocore's.
 */
export function ensureAwsModels(parent?: string, source?: string): string | undefined
