import type { SyncProgress } from '../../shared/mirror';

/**
 * Turns sync progress events into a progress line on stderr: redrawn in place on a terminal,
 * one line per finished webinar otherwise (logs and CI), so neither floods.
 */
export function progressPrinter(stream: NodeJS.WriteStream): (progress: SyncProgress) => void {
  let lastDone = -1;
  let lastDrawn = 0;
  return (progress) => {
    const line =
      progress.phase === 'discovering'
        ? `sync run ${progress.run_id}: listing webinars…`
        : `sync run ${progress.run_id}: webinar ${progress.webinars_done} of ${progress.webinars_total}, ${progress.rows} rows read (${progress.phase})`;
    if (stream.isTTY) {
      const now = Date.now();
      if (now - lastDrawn < 100 && progress.phase === 'webinars') return;
      lastDrawn = now;
      stream.write(`\r${line}\u001b[K${progress.phase === 'finishing' ? '\n' : ''}`);
      return;
    }
    if (progress.webinars_done === lastDone && progress.phase === 'webinars') return;
    lastDone = progress.webinars_done;
    stream.write(line + '\n');
  };
}
