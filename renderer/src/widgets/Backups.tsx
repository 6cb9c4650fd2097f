import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, Dialog, ErrorNote, Field } from '../components/ui';
import { useDesk } from '../desk-state';
import { useFormat } from '../format';

// The recovery key and the backups: what a DPO needs so that losing this computer costs nothing.

/** Makes (or replaces) the recovery key; shows its secret half once, and can write the sheet to print. */
export function RecoveryKeyCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const { backup, loadBackup } = useDesk();
  const [sheet, setSheet] = useState('');
  const [made, setMade] = useState<OperationOutput<'createRecoveryKey'> | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DeskError | null>(null);
  const current = backup?.recovery_key ?? null;

  const make = async () => {
    setBusy(true);
    try {
      setMade(await call('createRecoveryKey', { sheet: sheet.trim() || undefined, force: Boolean(current?.recipient) }));
      setConfirming(false);
      setError(null);
      await loadBackup();
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow" aria-labelledby="recovery-title" data-testid="recovery-key">
      <h2 id="recovery-title">{t('backup.recoveryTitle')}</h2>
      {current?.recipient ? (
        <p data-testid="recovery-state">{t('backup.recoveryMade', { at: f.dateTime(current.created_at!) })}</p>
      ) : (
        <p className="warn-note" data-testid="recovery-state">
          {t('backup.recoveryMissing')}
        </p>
      )}
      <p className="muted">{t('backup.recoveryWhat')}</p>
      <Field label={t('backup.sheetPath')} hint={t('backup.sheetPathHint')}>
        {(props) => <input {...props} value={sheet} onChange={(e) => setSheet(e.target.value)} data-testid="sheet-path" />}
      </Field>
      <BusyButton
        busy={busy}
        type="button"
        className={current?.recipient ? undefined : 'primary'}
        onClick={() => (current?.recipient ? setConfirming(true) : void make())}
        data-testid="make-recovery-key"
      >
        {current?.recipient ? t('backup.replaceKey') : t('backup.makeKey')}
      </BusyButton>
      <ErrorNote error={error} />
      <Dialog open={confirming} title={t('backup.replaceTitle')} onClose={() => setConfirming(false)} testId="replace-key-dialog">
        <p>{t('backup.replaceText')}</p>
        <div className="row dialog-buttons">
          <BusyButton busy={busy} type="button" className="primary" onClick={() => void make()} data-testid="confirm-replace-key">
            {t('backup.replaceKey')}
          </BusyButton>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
      <Dialog open={made !== null} title={t('backup.shownOnce')} onClose={() => setMade(null)} testId="recovery-key-dialog">
        <p>{t('backup.shownOnceText')}</p>
        <p className="secret" data-testid="recovery-identity">
          <code>{made?.identity}</code>
        </p>
        {made?.sheet && <p>{t('backup.sheetWritten', { path: made.sheet })}</p>}
        <button type="button" className="primary" onClick={() => setMade(null)} data-testid="recovery-key-done">
          {t('backup.keptIt')}
        </button>
      </Dialog>
    </section>
  );
}

type Draft = { folder: string; interval: string; keep: string; recipients: string; afterErasure: boolean };

/** Settings' backup section: where and how often, the last backup, the backups in the folder, and Back up now. */
export function BackupsCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const { backup, settings, saveSettings, loadBackup } = useDesk();
  const [draft, setDraft] = useState<Draft | null>(
    settings
      ? {
          folder: settings.backup_folder ?? '',
          interval: String(settings.backup_interval_hours),
          keep: String(settings.backup_keep),
          recipients: settings.backup_recipients.join('\n'),
          afterErasure: settings.backup_after_erasure,
        }
      : null,
  );
  const [busy, setBusy] = useState<'save' | 'backup' | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<DeskError | null>(null);
  if (!draft || !backup) return null;
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    try {
      await saveSettings({
        backup_folder: draft.folder.trim() || null,
        backup_interval_hours: Number(draft.interval),
        backup_keep: Number(draft.keep),
        backup_recipients: draft.recipients.split(/[\s,]+/).filter(Boolean),
        backup_after_erasure: draft.afterErasure,
      });
      await loadBackup();
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(null);
    }
  };

  const backUpNow = async () => {
    setBusy('backup');
    try {
      await call('runAutoBackup', {});
      await loadBackup();
      setError(null);
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(null);
    }
  };

  const last = backup.last;
  return (
    <section className="card narrow" aria-labelledby="backups-title" data-testid="backups">
      <h2 id="backups-title">{t('backup.title')}</h2>
      <dl className="facts">
        <dt>{t('backup.last')}</dt>
        <dd data-testid="last-backup">
          {last
            ? t('backup.lastWas', { at: f.dateTime(last.at), path: last.path }) + ' ' + (last.verified_at ? t('backup.verifiedAt', { at: f.dateTime(last.verified_at) }) : t('backup.notVerified'))
            : t('backup.none')}
        </dd>
      </dl>
      {backup.overdue && backup.folder && <p className="warn-note">{t('backup.overdue', { hours: backup.interval_hours })}</p>}
      <form onSubmit={(e) => void save(e)} data-testid="backup-settings">
        <Field label={t('backup.folder')} hint={t('backup.folderHint')}>
          {(props) => <input {...props} value={draft.folder} onChange={(e) => set({ folder: e.target.value })} data-testid="backup-folder" />}
        </Field>
        <Field label={t('backup.interval')}>{(props) => <input {...props} type="number" min={1} max={720} value={draft.interval} onChange={(e) => set({ interval: e.target.value })} />}</Field>
        <Field label={t('backup.keep')}>{(props) => <input {...props} type="number" min={1} max={365} value={draft.keep} onChange={(e) => set({ keep: e.target.value })} />}</Field>
        <Field label={t('backup.recipients')} hint={t('backup.recipientsHint')}>
          {(props) => <textarea {...props} rows={2} value={draft.recipients} onChange={(e) => set({ recipients: e.target.value })} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={draft.afterErasure} onChange={(e) => set({ afterErasure: e.target.checked })} /> {t('backup.afterErasure')}
        </label>
        <div className="row">
          <BusyButton busy={busy === 'save'} type="submit" data-testid="save-backup-settings">
            {t('backup.save')}
          </BusyButton>
          <BusyButton busy={busy === 'backup'} type="button" className="primary" onClick={() => void backUpNow()} data-testid="back-up-now">
            {busy === 'backup' ? t('backup.running') : t('backup.now')}
          </BusyButton>
        </div>
        {saved && (
          <p className="ok-note" role="status">
            {t('settings.saved')}
          </p>
        )}
      </form>
      <ErrorNote error={error} />
      {backup.backups.length > 0 && (
        <table className="grid compact" data-testid="backup-list">
          <caption>{t('backup.inFolder', { folder: backup.folder })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('backup.file')}</th>
              <th scope="col">{t('backup.when')}</th>
              <th scope="col">{t('backup.size')}</th>
            </tr>
          </thead>
          <tbody>
            {backup.backups.map((b) => (
              <tr key={b.name}>
                <td>{b.name}</td>
                <td>{f.dateTime(b.at)}</td>
                <td>{f.number(Math.ceil(b.bytes / 1024))} KiB</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
