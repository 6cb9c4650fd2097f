import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { useAuditWords } from '../audit-words';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, ErrorNote } from '../components/ui';
import { useFormat } from '../format';
import { hrefOf, navigate } from '../router';
import { useLoad } from '../use-load';
import { downloadDocument } from '../widgets/RequestDocuments';

type Verdict = OperationOutput<'verifyAudit'>;
const PAGE = 50;
const ACTION_GROUPS = ['request', 'job', 'document', 'sync', 'settings', 'retention', 'suppression'] as const;

/** The hash-chained log: its verdict on demand (a cut tail included), and its entries, newest first, filtered and paged. */
export function AuditScreen({ requestId }: { requestId: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = useAuditWords();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [requestFilter, setRequestFilter] = useState(requestId ?? '');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<DeskError | null>(null);

  const log = useLoad(
    () => call('listAudit', { request_id: requestFilter.trim() || undefined, actor: actor || undefined, action: action || undefined, limit: PAGE, offset }),
    [requestFilter, actor, action, offset],
  );
  const page = log.data;

  const verify = async () => {
    setVerifying(true);
    try {
      setVerdict(await call('verifyAudit', {}));
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title" tabIndex={-1}>
        {t('audit.title')}
      </h1>
      <section className="card" aria-labelledby="chain-title">
        <h2 id="chain-title">{t('audit.chain')}</h2>
        <p className="hint">{t('audit.chainExplain')}</p>
        <BusyButton className="primary" onClick={() => void verify()} busy={verifying} data-testid="verify-audit">
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </BusyButton>
        {verdict && (
          <div className={verdict.ok ? 'ok-note' : 'error-note'} role="status" data-testid="audit-verdict">
            <p>
              <strong>{verdict.ok ? t('audit.intact', { count: verdict.entries, n: f.number(verdict.entries) }) : t('audit.broken')}</strong>
            </p>
            <dl className="facts small">
              <dt>{t('audit.head')}</dt>
              <dd>
                <code>{verdict.head}</code>
              </dd>
              {verdict.first_bad !== null && (
                <>
                  <dt>{t('audit.firstBad')}</dt>
                  <dd>{verdict.first_bad}</dd>
                </>
              )}
              <dt>{t('audit.anchor')}</dt>
              <dd>{verdict.anchor ? t('audit.anchorAt', { count: verdict.anchor.entries, at: f.dateTime(verdict.anchor.at) }) : t('audit.noAnchor')}</dd>
              <dt>{t('audit.detail')}</dt>
              <dd data-testid="audit-finding">{t(`audit.finding.${verdict.finding}`, { entries: verdict.entries, anchored: verdict.anchor?.entries ?? 0 })}</dd>
            </dl>
          </div>
        )}
      </section>
      <AuditExport onError={setError} />
      <ErrorNote error={error ?? log.error} />
      <section className="card" aria-labelledby="log-title">
        <h2 id="log-title">{t('audit.log')}</h2>
        <div className="filters row">
          <label>
            {t('audit.request')}
            <input
              value={requestFilter}
              onChange={(e) => {
                setRequestFilter(e.target.value);
                setOffset(0);
                navigate({ name: 'audit', requestId: e.target.value.trim() || null }, { replace: true });
              }}
              placeholder="DSR-2026-0001"
            />
          </label>
          <label>
            {t('audit.actor')}
            <select
              value={actor}
              onChange={(e) => {
                setActor(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">{t('audit.anyone')}</option>
              {page?.actors.map((a) => (
                <option key={a} value={a}>
                  {words.actor(a)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('audit.action')}
            <select
              value={action}
              onChange={(e) => {
                setAction(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">{t('audit.anyAction')}</option>
              {ACTION_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`audit.group.${g}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {page && (
          <>
            <table className="grid compact" data-testid="audit-log">
              <caption className="sr-only">{t('audit.log')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col">{t('audit.request')}</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((entry) => (
                  <tr key={entry.seq} data-testid="audit-entry">
                    <td className="num">{entry.seq}</td>
                    <td className="when">{f.dateTime(entry.at)}</td>
                    <td className="what">
                      <span data-testid="audit-sentence">{words.sentence(entry)}</span>
                      <details>
                        <summary>{t('audit.showDetails')}</summary>
                        <dl className="facts small">
                          {words.facts(entry).map(([label, value]) => (
                            <Fragment key={label}>
                              <dt>{label}</dt>
                              <dd>{value}</dd>
                            </Fragment>
                          ))}
                          <dt>{t('audit.action')}</dt>
                          <dd>
                            <code>{entry.action}</code>
                          </dd>
                          <dt>{t('audit.hash')}</dt>
                          <dd>
                            <code className="hash">{entry.hash}</code>
                          </dd>
                        </dl>
                      </details>
                    </td>
                    <td className="id">{entry.request_id ? <a href={hrefOf({ name: 'request', id: entry.request_id })}>{entry.request_id}</a> : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager row">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t('common.newer')}
              </button>
              <span>{t('common.range', { from: f.number(page.total === 0 ? 0 : offset + 1), to: f.number(Math.min(offset + PAGE, page.total)), total: f.number(page.total) })}</span>
              <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
                {t('common.older')}
              </button>
            </div>
          </>
        )}
      </section>
    </section>
  );
}

/** The whole log as JSON lines, written into the data folder's documents/audit/, then handed over as a download (a Save As in the app). */
function AuditExport({ onError }: { onError: (error: DeskError) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [exported, setExported] = useState<OperationOutput<'exportAuditLog'> | null>(null);
  const [busy, setBusy] = useState(false);
  const name = exported?.path.split(/[\\/]/).pop() ?? '';
  const run = async () => {
    setBusy(true);
    try {
      setExported(await call('exportAuditLog', {}));
    } catch (e) {
      onError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title">{t('audit.export')}</h2>
      <p className="hint">{t('audit.exportExplain')}</p>
      <BusyButton onClick={() => void run()} busy={busy} data-testid="export-audit">
        {t('audit.export')}
      </BusyButton>
      {exported && (
        <p role="status" data-testid="audit-exported">
          {t('audit.exported', { count: exported.entries, n: f.number(exported.entries), head: exported.head })}{' '}
          <button type="button" className="link" data-testid="download-audit" onClick={() => void downloadDocument(exported.path).catch((e: unknown) => onError(asDeskError(e)))}>
            {t('documents.download', { name })}
          </button>
        </p>
      )}
    </section>
  );
}
