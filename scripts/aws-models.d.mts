export function ensureAwsModels(parent?: string): string | undefined
