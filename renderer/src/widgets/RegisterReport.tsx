import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { LANGUAGES, type Language } from '../../../shared/settings';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, ErrorNote, Field } from '../components/ui';
import { useDesk, useReviewer } from '../desk-state';
import { useFormat } from '../format';
import { downloadDocument } from './RequestDocuments';

/**
 * The register report for a period (Art 5(2), Art 30-style): written by the core into the data
 * folder's documents/reports/ as a PDF or CSV, under the person's name, then downloaded.
 */
export function RegisterReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  const language = useDesk((s) => s.settings?.language ?? 'en');
  const today = f.day(new Date());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [format, setFormat] = useState<'pdf' | 'csv'>('pdf');
  const [lang, setLang] = useState<Language>(language);
  const [written, setWritten] = useState<OperationOutput<'writeReport'> | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const write = async () => {
    setBusy(true);
    try {
      setWritten(await call('writeReport', { from, to, format, lang, by: reviewer }));
      setError(null);
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };
  const name = written?.path.split(/[\\/]/).pop() ?? '';
  return (
    <section className="card" aria-labelledby="report-title" data-testid="register-report">
      <h2 id="report-title">{t('report.title')}</h2>
      <p className="hint">{t('report.explain')}</p>
      <div className="row filters">
        <Field label={t('report.from', { zone: f.timeZone })}>
          {(props) => <input {...props} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} data-testid="report-from" />}
        </Field>
        <Field label={t('report.to')}>{(props) => <input {...props} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} data-testid="report-to" />}</Field>
        <Field label={t('report.format')}>
          {(props) => (
            <select {...props} value={format} onChange={(e) => setFormat(e.target.value as 'pdf' | 'csv')} data-testid="report-format">
              <option value="pdf">PDF</option>
              <option value="csv">CSV</option>
            </select>
          )}
        </Field>
        {format === 'pdf' && (
          <Field label={t('report.language')}>
            {(props) => (
              <select {...props} value={lang} onChange={(e) => setLang(e.target.value as Language)} data-testid="report-language">
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {t(`language.${l}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <BusyButton busy={busy} disabled={!valid} onClick={() => void write()} data-testid="write-report">
        {t('report.write')}
      </BusyButton>
      <ErrorNote error={error} testId="report-error" />
      {written && (
        <p role="status" data-testid="report-written">
          {t('report.written', { count: written.requests, n: f.number(written.requests) })}{' '}
          <button type="button" className="link" data-testid="download-report" onClick={() => void downloadDocument(written.path).catch((e: unknown) => setError(asDeskError(e)))}>
            {t('documents.download', { name })}
          </button>
        </p>
      )}
    </section>
  );
}
