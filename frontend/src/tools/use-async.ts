import { useEffect, useRef, useState } from 'react';
import { describeError, isAbortError } from '../api/api-error.js';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown; message: string };

/**
 * Runs `load` whenever `key` changes, aborting the previous run. `reload` runs it again. With an
 * `initial` value (data the server sent with the page) the first run is skipped.
 */
export function useAsync<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  initial?: T,
): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>(
    initial === undefined ? { status: 'loading' } : { status: 'ready', value: initial },
  );
  const [attempt, setAttempt] = useState(0);
  const skipFirstRun = useRef(initial !== undefined);
  useEffect(() => {
    if (skipFirstRun.current) {
      skipFirstRun.current = false;
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (value) => {
        // A late answer of a superseded run must not replace the current one.
        if (!controller.signal.aborted) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setState({ status: 'error', error, message: describeError(error) });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key, attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}
