import { useEffect, useRef } from 'react';
import { useMirror } from './mirror-state';

const POLL_MS = 500;

/** Starts, follows and cancels a sync; the core does the work, this polls its status. */
export function SyncPanel({ connected }: { connected: boolean }) {
  const { sync, error, refreshSync, startSync, cancelSync, loadWebinars, loadPage } = useMirror();
  const wasRunning = useRef(false);

  useEffect(() => {
    void refreshSync();
  }, [refreshSync]);

  useEffect(() => {
    const running = sync?.running ?? false;
    if (wasRunning.current && !running) {
      void loadWebinars();
      void loadPage();
    }
    wasRunning.current = running;
    if (!running) return;
    const timer = setInterval(() => void refreshSync(), POLL_MS);
    return () => clearInterval(timer);
  }, [sync?.running, refreshSync, loadWebinars, loadPage]);

  const progress = sync?.progress;
  const percent = progress && progress.webinars_total > 0 ? Math.round((progress.webinars_done / progress.webinars_total) * 100) : 0;
  const last = sync?.last_run;

  return (
    <section className="card" aria-labelledby="sync-title">
      <h2 id="sync-title">Mirror of Zoom</h2>
      <div className="row">
        <button type="button" onClick={() => void startSync(false)} disabled={!connected || sync?.running} data-testid="sync-start">
          Sync now
        </button>
        <button type="button" onClick={() => void startSync(true)} disabled={!connected || sync?.running}>
          Full sync
        </button>
        {sync?.running && (
          <button type="button" onClick={() => void cancelSync()} data-testid="sync-cancel">
            Cancel
          </button>
        )}
      </div>
      {sync?.running && progress && (
        <div className="progress" data-testid="sync-progress">
          <progress max={100} value={percent} aria-label="Sync progress" />
          <span>
            {progress.phase === 'discovering' ? 'Listing webinars…' : `Webinar ${progress.webinars_done} of ${progress.webinars_total}, ${progress.rows.toLocaleString()} rows read`}
          </span>
        </div>
      )}
      {!sync?.running && last && (
        <p data-testid="sync-last" className="muted">
          Last sync: {last.mode}, {last.status}
          {last.finished_at ? ` at ${new Date(last.finished_at).toLocaleString()}` : ''}
          {last.status === 'cancelled' || last.status === 'failed' ? ' (the next sync resumes where it stopped)' : ''}
        </p>
      )}
      {sync?.last_error && !sync.running && (
        <p role="alert" className="error">
          {sync.last_error.message} <code>{sync.last_error.code}</code>
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message} <code>{error.code}</code>
        </p>
      )}
    </section>
  );
}
