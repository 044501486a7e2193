export function ensureAwsModels(): string | undefined
