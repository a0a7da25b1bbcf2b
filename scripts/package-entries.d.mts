export function entryDeclarations(exports: Record<string, unknown>): string[];
