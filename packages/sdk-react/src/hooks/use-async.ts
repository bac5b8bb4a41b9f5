import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Runs the loader again. */
  reload(): void;
}

export function toError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}

/**
 * Runs `load` after mount and whenever `deps` change; ignores results of superseded runs. Nothing
 * runs during server rendering (effects do not run there), so widgets render their loading state.
 */
export function useAsync<T>(
  load: (() => Promise<T>) | undefined,
  deps: readonly unknown[],
  initial?: T,
): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: initial,
    error: undefined,
    loading: load !== undefined && initial === undefined,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass the loader's inputs as deps.
  useEffect(() => {
    const run = loadRef.current;
    if (!run) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    run().then(
      (data) => {
        if (current) setState({ data, error: undefined, loading: false });
      },
      (cause: unknown) => {
        if (current) setState((previous) => ({ ...previous, error: toError(cause), loading: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
