import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isTimeZone } from '../../../shared/deadlines';
import { LANGUAGES, ZOOM_PLANS, type Settings } from '../../../shared/settings';
import { asDeskError, type DeskError } from '../call';
import { Choice, ErrorNote, Field, TimeZoneField } from '../components/ui';
import { useDesk } from '../desk-state';
import { osTimeZone } from '../format';
import { BackupsCard, RecoveryKeyCard } from '../widgets/Backups';
import { AccountsCard } from '../widgets/Accounts';
import { OrganisationForm } from '../widgets/OrganisationForm';

// The event subscription is part of the Zoom connection (ConnectForm), and the backup settings
// are the backup panel's, not part of this form.
type Draft = {
  [K in Exclude<keyof Settings, 'event_subscription_id' | 'ws_url' | `backup_${string}` | 'organisation_name' | 'organisation_contact' | 'dpo_email' | 'supervisory_authority' | 'language'>]: string;
};
// The organisation's name, contact, DPO, authority and reply language are OrganisationForm's.
const TEXT_KEYS = ['purposes', 'retention_text', 'operator'] as const;

function draftOf(s: Settings): Draft {
  return {
    ...(Object.fromEntries(TEXT_KEYS.map((k) => [k, s[k] ?? ''])) as Pick<Draft, (typeof TEXT_KEYS)[number]>),
    ui_language: s.ui_language ?? '',
    zoom_plan: s.zoom_plan,
    time_zone: s.time_zone ?? '',
    holidays: s.holidays.join('\n'),
    request_retention_years: String(s.request_retention_years),
    erasure_address_grace_days: String(s.erasure_address_grace_days),
    processor_reply_days: String(s.processor_reply_days),
  };
}

/** The settings, saved together; only what changed is sent (and audited by name). */
export function SettingsScreen() {
  const { t } = useTranslation();
  const { settings, saveSettings, mode, store } = useDesk();
  const [draft, setDraft] = useState<Draft | null>(settings ? draftOf(settings) : null);
  const [error, setError] = useState<DeskError | null>(null);
  const [saved, setSaved] = useState(false);
  if (!settings || !draft) return null;
  const set = (key: keyof Settings, value: string) => {
    setDraft({ ...draft, [key]: value });
    setSaved(false);
  };

  const holidays = draft.holidays.split(/\s+/).filter(Boolean);
  const zoneError = draft.time_zone && !isTimeZone(draft.time_zone) ? t('settings.timeZoneInvalid') : null;
  const holidayError = holidays.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d)) ? t('settings.holidaysInvalid') : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (zoneError || holidayError) return;
    const next: Partial<Settings> = {
      ...Object.fromEntries(TEXT_KEYS.map((k) => [k, draft[k].trim() || null])),
      ui_language: (draft.ui_language || null) as Settings['ui_language'],
      zoom_plan: draft.zoom_plan as Settings['zoom_plan'],
      time_zone: draft.time_zone.trim() || null,
      holidays,
      request_retention_years: Number(draft.request_retention_years),
      erasure_address_grace_days: Number(draft.erasure_address_grace_days),
      processor_reply_days: Number(draft.processor_reply_days),
    };
    const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(settings[k as keyof Settings])));
    if (Object.keys(patch).length === 0) return setSaved(true);
    try {
      const updated = await saveSettings(patch);
      setDraft(draftOf(updated));
      setError(null);
      setSaved(true);
    } catch (e) {
      setError(asDeskError(e));
    }
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      <div className="narrow">
        <OrganisationForm />
      </div>
      <form className="card narrow" onSubmit={(e) => void submit(e)} data-testid="settings-form">
        <fieldset>
          <legend>{t('settings.desk')}</legend>
          <Field label={t('firstRun.name')} hint={t('firstRun.nameHint')}>
            {(props) => <input {...props} value={draft.operator} onChange={(e) => set('operator', e.target.value)} data-testid="settings-reviewer" />}
          </Field>
          <Choice
            label={t('settings.uiLanguage')}
            value={draft.ui_language}
            options={[{ value: '', label: t('settings.osLanguage') }, ...LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))]}
            onChange={(v) => set('ui_language', v)}
            testId="settings-ui-language"
          />
        </fieldset>
        <fieldset>
          <legend>{t('settings.organisation')}</legend>
          {(['purposes', 'retention_text'] as const).map((key) => (
            <Field key={key} label={t(`settings.${key}`)} hint={t('settings.defaultTextHint')}>
              {(props) => <textarea {...props} value={draft[key]} onChange={(e) => set(key, e.target.value)} rows={3} />}
            </Field>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('settings.deadlines')}</legend>
          <TimeZoneField
            label={t('settings.timeZone')}
            hint={t('settings.timeZoneHint', { zone: osTimeZone() })}
            error={zoneError}
            value={draft.time_zone}
            onChange={(v) => set('time_zone', v)}
            placeholder={osTimeZone()}
          />
          <Field label={t('settings.holidays')} hint={t('settings.holidaysHint')} error={holidayError}>
            {(props) => <textarea {...props} value={draft.holidays} onChange={(e) => set('holidays', e.target.value)} rows={4} />}
          </Field>
          <Field label={t('settings.retentionYears')}>
            {(props) => <input {...props} type="number" min={1} max={10} value={draft.request_retention_years} onChange={(e) => set('request_retention_years', e.target.value)} />}
          </Field>
          <Field label={t('settings.graceDays')} hint={t('settings.graceDaysHint')}>
            {(props) => <input {...props} type="number" min={0} max={365} value={draft.erasure_address_grace_days} onChange={(e) => set('erasure_address_grace_days', e.target.value)} />}
          </Field>
          <Field label={t('settings.processorDays')} hint={t('settings.processorDaysHint')}>
            {(props) => <input {...props} type="number" min={1} max={365} value={draft.processor_reply_days} onChange={(e) => set('processor_reply_days', e.target.value)} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('settings.zoom')}</legend>
          <Choice
            label={t('settings.zoomPlan')}
            hint={t('settings.zoomPlanHint')}
            value={draft.zoom_plan}
            options={ZOOM_PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))}
            onChange={(v) => set('zoom_plan', v)}
          />
        </fieldset>
        <button type="submit" className="primary" data-testid="save-settings">
          {t('settings.save')}
        </button>
        {saved && (
          <p className="ok-note" role="status">
            {t('settings.saved')}
          </p>
        )}
        <ErrorNote error={error} />
      </form>
      {mode === 'live' && (
        <>
          <RecoveryKeyCard />
          <BackupsCard />
        </>
      )}
      {store && (
        <section className="card narrow" aria-labelledby="store-title">
          <h2 id="store-title">{t('settings.store')}</h2>
          <dl className="facts">
            <dt>{t('settings.storePath')}</dt>
            <dd data-testid="store-path">{store.path}</dd>
            <dt>{t('settings.encrypted')}</dt>
            <dd data-testid="store-encrypted">{store.encrypted ? t('settings.encryptedYes', { cipher: store.cipher }) : t('settings.encryptedNo')}</dd>
            <dt>{t('settings.schema')}</dt>
            <dd data-testid="store-schema">{t('settings.schemaOf', { version: store.schema_version, latest: store.latest_schema_version })}</dd>
          </dl>
        </section>
      )}
      <div className="narrow-wide">
        <AccountsCard />
      </div>
    </section>
  );
}
