/** Reads an environment variable where one exists (Node, Bun, Deno with `process`), else undefined. */
export function readEnv(name: string): string | undefined {
  return (
    (globalThis as { process?: { env?: Record<string, string> } }).process?.env?.[name]?.trim() || undefined
  );
}

/** True in a browser main thread (where a `document` exists). */
export function isBrowser(): boolean {
  return typeof (globalThis as { document?: unknown }).document === 'object';
}
