import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { asDeskError, type DeskError } from './call';

export interface Loaded<T> {
  /** The last answer; kept while a reload runs, and after a reload fails, so the screen does not flicker. */
  data: T | null;
  /** Why the last load failed; cleared once one succeeds. */
  error: DeskError | null;
  loading: boolean;
  /** Asks again; resolves once the answer (or the refusal) is in the state, never rejects. */
  reload: () => Promise<void>;
}

/**
 * What a screen reads from the core: asked for on mount, whenever `deps` change, and on reload().
 * Only the latest ask counts, so a slow answer to an earlier filter never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ data: null, error: null, loading: true });
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const latestAsk = useRef(0);

  const reload = useCallback(async () => {
    const ask = ++latestAsk.current;
    setState((previous) => (previous.loading ? previous : { ...previous, loading: true }));
    try {
      const data = await latestLoad.current();
      if (ask === latestAsk.current) setState({ data, error: null, loading: false });
    } catch (e) {
      if (ask === latestAsk.current) setState((previous) => ({ data: previous.data, error: asDeskError(e), loading: false }));
    }
  }, []);

  useEffect(() => {
    void reload();
    // Unmounted or asked again with new deps: an answer still on its way is dropped.
    return () => {
      latestAsk.current += 1;
    };
    // The deps are the caller's: `load` is read from a ref, so a new closure each render asks nothing.
  }, deps);

  return { ...state, reload };
}
