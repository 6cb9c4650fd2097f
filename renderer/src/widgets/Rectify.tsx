import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RECTIFIABLE_FIELDS } from '../../../shared/requests';
import { asDeskError, call, type DeskError } from '../call';
import { ErrorNote, Field } from '../components/ui';
import { useReviewer } from '../desk-state';
import type { Detail } from '../request-detail';

type FieldName = (typeof RECTIFIABLE_FIELDS)[number];

/** Rectification (Art 16) in the window: the corrected values for the mirrored registrations; the job then closes the request. */
export function Rectify({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  const [values, setValues] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<DeskError | null>(null);
  const [done, setDone] = useState(false);
  const changed = Object.entries(values).filter(([, v]) => v !== undefined && v.trim() !== '');
  const recorded = request.timeline.some((e) => e.action === 'rectify');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (changed.length === 0) return;
    try {
      await call('rectifyRequest', { id: request.id, by: reviewer, fields: Object.fromEntries(changed.map(([k, v]) => [k, v.trim()])) });
      setDone(true);
      await onChange();
    } catch (e) {
      setError(asDeskError(e));
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="rectify-title">
      <h2 id="rectify-title">{t('rectify.title')}</h2>
      <p className="hint">{t('rectify.explain')}</p>
      {(done || recorded) && <p className="ok-note">{t('rectify.recorded')}</p>}
      <div className="field-grid">
        {RECTIFIABLE_FIELDS.map((name) => (
          <Field key={name} label={t(`field.${name}`)}>
            {(props) => <input {...props} value={values[name] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} />}
          </Field>
        ))}
      </div>
      <p className="hint">{t('decide.recordedAs', { name: reviewer })}</p>
      <button type="submit" className="primary" disabled={changed.length === 0}>
        {t('rectify.submit')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
