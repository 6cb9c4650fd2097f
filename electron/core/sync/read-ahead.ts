// A paged list read one page ahead: as soon as page n has arrived (and with it the token for
// n+1), the request for page n+1 is sent, while the caller still classifies and writes page n.
// Zoom's answer time then hides the sync's own work instead of adding to it. At most one page
// waits beyond the one the caller holds, so memory stays bounded; the pages still reach the
// caller in order, one at a time, so the writer sees them as before. Each request still goes
// through the client's rate limiter: reading ahead changes when a call is asked for, not the pace.

/** Yields what `source` yields, asking it for the next item as soon as the current one is handed out. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      // The caller may stop before it asks for this page: its failure then has nobody to tell.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    // Stopped early (a cancel, an error while writing): the caller isn't kept waiting for the page
    // in flight; it is dropped when it comes, and the source closed after it.
    if (!finished)
      void next
        .then(
          () => iterator.return?.(),
          () => undefined,
        )
        .catch(() => undefined);
  }
}
