import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { asDeskError, call, DeskError } from '../call';
import { BusyButton, ErrorNote, ProgressBar } from '../components/ui';
import { useFormat } from '../format';

type SyncStatus = OperationOutput<'getSyncStatus'>;
type LiveStatus = OperationOutput<'getLiveStatus'>;

/** How often the window asks whether live changes came in (the core applies them as they arrive). */
const LIVE_POLL_MS = 1500;

/** Whether the core holds Zoom's event subscription; `onChanges` when changes were heard since the last look. */
function LiveState({ onChanges }: { onChanges: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [live, setLive] = useState<LiveStatus | null>(null);
  useEffect(() => {
    let seen = -1;
    const look = async () => {
      const next = await call('getLiveStatus', {});
      if (seen >= 0 && next.changes > seen) onChanges();
      seen = next.changes;
      setLive(next);
    };
    void look().catch(() => undefined);
    const timer = setInterval(() => void look().catch(() => undefined), LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [onChanges]);
  if (!live) return null;
  return (
    <p className={`muted live-state live-${live.state}`} data-testid="live-state" role="status">
      {t(`live.${live.state}`, { since: f.dateTime(live.since) })}
      {live.state !== 'off' && <> · {t('live.heard', { count: live.changes, n: f.number(live.changes) })}</>}
    </p>
  );
}

/** "Sync now": starts a sync in the core and follows it by polling (never one long call), with cancel. */
export function SyncBar({ onFinished }: { onFinished: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<DeskError | null>(null);

  const refresh = useCallback(async () => {
    const next = await call('getSyncStatus', {});
    setStatus((previous) => {
      if (previous?.running && !next.running) onFinished();
      return next;
    });
    if (next.last_error && !next.running) setError(new DeskError(next.last_error.code, next.last_error.message));
  }, [onFinished]);

  useEffect(() => {
    void refresh().catch((e: unknown) => setError(asDeskError(e)));
  }, [refresh]);
  useEffect(() => {
    if (!status?.running) return;
    const timer = setInterval(() => void refresh().catch((e: unknown) => setError(asDeskError(e))), 400);
    return () => clearInterval(timer);
  }, [status?.running, refresh]);

  const start = async (full: boolean) => {
    setError(null);
    try {
      await call('startSync', { full });
      await refresh();
    } catch (e) {
      setError(asDeskError(e));
    }
  };

  const p = status?.progress;
  return (
    <section className="card sync-bar" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <div className="row">
        <BusyButton className="primary" busy={status?.running ?? false} onClick={() => void start(false)} data-testid="sync-start">
          {t('sync.now')}
        </BusyButton>
        <BusyButton busy={status?.running ?? false} onClick={() => void start(true)}>
          {t('sync.full')}
        </BusyButton>
        {status?.running && (
          <button type="button" onClick={() => void call('cancelSync', {})} data-testid="sync-cancel">
            {t('common.cancel')}
          </button>
        )}
        {!status?.running && status?.last_run && (
          <span className="muted" data-testid="sync-last">
            {t('sync.last', { status: t(`syncStatus.${status.last_run.status}`), when: f.dateTime(status.last_run.finished_at ?? status.last_run.started_at) })}
            {status.last_run.kept_by_events > 0 && <> · {t('sync.kept', { count: status.last_run.kept_by_events, n: f.number(status.last_run.kept_by_events) })}</>}
          </span>
        )}
      </div>
      {status?.running && (
        <div data-testid="sync-progress">
          <ProgressBar
            value={p?.webinars_done ?? 0}
            max={p?.webinars_total ?? 0}
            label={t('sync.progress', {
              phase: t(`syncPhase.${p?.phase ?? 'discovering'}`),
              done: f.number(p?.webinars_done ?? 0),
              total: f.number(p?.webinars_total ?? 0),
              rows: f.number(p?.rows ?? 0),
              calls: f.number(p?.calls ?? 0),
              waits: f.number(p?.rate_limit_waits ?? 0),
            })}
          />
        </div>
      )}
      <LiveState onChanges={onFinished} />
      <ErrorNote error={error} testId="sync-error" />
    </section>
  );
}
