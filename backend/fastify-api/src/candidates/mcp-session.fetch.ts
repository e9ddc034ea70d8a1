/**
 * The fetch of the MCP client transport. The SDK hands every request of a session the same
 * long-lived AbortSignal (its own, aborted on close), and undici keeps one 'abort' listener on
 * that signal per request until the request object is garbage collected, so under steady load the
 * listeners and what they hold pile up (MaxListenersExceededWarning, memory growth in the soak).
 * Here each request gets its own signal, linked to the session's only while the request is in
 * flight: until its body has been read, cancelled or failed. Closing the session still aborts
 * every request in flight.
 */
export function sessionFetch(fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const shared = init?.signal;
    if (!shared) return fetchImpl(input, init);
    const own = new AbortController();
    const forward = () => own.abort(shared.reason);
    const unlink = () => shared.removeEventListener('abort', forward);
    if (shared.aborted) forward();
    else shared.addEventListener('abort', forward, { once: true });
    try {
      return unlinkAfterBody(await fetchImpl(input, { ...init, signal: own.signal }), unlink);
    } catch (error) {
      unlink();
      throw error;
    }
  };
}

/** Statuses whose response has no body (a Response cannot be built with one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const isRedirect = (status: number) => status >= 300 && status < 400;

/** The same response, calling `unlink` once its body is done (read to the end, cancelled or failed). */
function unlinkAfterBody(response: Response, unlink: () => void): Response {
  // A redirect is passed on as it came (the SDK inspects it), its body unread.
  if (!response.body || NULL_BODY_STATUSES.has(response.status) || isRedirect(response.status)) {
    unlink();
    return response;
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          unlink();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        unlink();
        controller.error(error);
      }
    },
    cancel(reason) {
      unlink();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
