import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/settings';
import { isTimeZone } from '../../../shared/deadlines';
import { Person } from '../../../shared/requests';
import { asDeskError, call, type DeskError } from '../call';
import { Choice, ErrorNote, Field, TimeZoneField } from '../components/ui';
import { useDesk } from '../desk-state';
import { osTimeZone } from '../format';
import { osLanguage } from '../i18n';
import { navigate } from '../router';
import { RecoveryKeyCard } from '../widgets/Backups';
import { ConnectForm } from '../widgets/ConnectForm';
import { OrganisationForm } from '../widgets/OrganisationForm';

/** First run: who works at this desk, in which time zone and language; then Zoom, or the sandbox. */
export function FirstRun() {
  const { t } = useTranslation();
  const { settings, saveSettings, switchMode, mode, zoom, backup } = useDesk();
  const [name, setName] = useState(settings?.operator ?? '');
  const [timeZone, setTimeZone] = useState(settings?.time_zone ?? osTimeZone());
  const [language, setLanguage] = useState<Language>(settings?.ui_language ?? osLanguage());
  const [nameError, setNameError] = useState<string | null>(null);
  const [zoneError, setZoneError] = useState<string | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);
  const haveName = Boolean(settings?.operator);

  const saveDesk = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    // The core's own rule for who decides (Person), checked here to say it in the window's language.
    const nameOk = Person.safeParse(trimmed).success;
    setNameError(nameOk ? null : t('firstRun.nameTooShort'));
    setZoneError(isTimeZone(timeZone) ? null : t('settings.timeZoneInvalid'));
    if (!nameOk || !isTimeZone(timeZone)) return;
    setBusy(true);
    try {
      await saveSettings({ operator: trimmed, time_zone: timeZone, ui_language: language });
      setError(null);
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  const trySandbox = async () => {
    setBusy(true);
    try {
      await switchMode('sandbox');
      navigate({ name: 'overview' });
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title" tabIndex={-1}>
        {t('firstRun.title')}
      </h1>
      <p className="lead">{t('firstRun.lead')}</p>
      <form className="card" onSubmit={(e) => void saveDesk(e)} aria-labelledby="desk-step">
        <h2 id="desk-step">{t('firstRun.stepDesk')}</h2>
        <Field label={t('firstRun.name')} hint={t('firstRun.nameHint')} error={nameError}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" data-testid="reviewer-name" />}
        </Field>
        <TimeZoneField label={t('settings.timeZone')} hint={t('firstRun.timeZoneHint')} error={zoneError} value={timeZone} onChange={setTimeZone} testId="time-zone" />
        <Choice label={t('settings.uiLanguage')} value={language} options={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))} onChange={setLanguage} testId="ui-language" />
        <button type="submit" className="primary" disabled={busy} data-testid="save-desk">
          {haveName ? t('firstRun.update') : t('firstRun.continue')}
        </button>
        {haveName && <p className="ok-note">{t('firstRun.saved', { name: settings?.operator })}</p>}
      </form>
      <ErrorNote error={error} />
      {/* The organisation every document speaks for: asked now, so no letter goes out with a gap in it. */}
      {haveName && mode === 'live' && <OrganisationForm title={t('firstRun.stepOrganisation')} />}
      {haveName && mode === 'live' && !zoom?.connected && (
        <div className="two-up">
          <section className="card" aria-labelledby="connect-step">
            <h2 id="connect-step">{t('firstRun.stepConnect')}</h2>
            <ConnectForm
              onConnected={() =>
                void useDesk
                  .getState()
                  .load()
                  .then(() => navigate({ name: 'overview' }))
              }
            />
            <p className="hint">{t('firstRun.moreAccounts')}</p>
          </section>
          <section className="card" aria-labelledby="sandbox-step">
            <h2 id="sandbox-step">{t('firstRun.stepSandbox')}</h2>
            <p>{t('firstRun.sandboxText')}</p>
            <button type="button" className="primary" onClick={() => void trySandbox()} disabled={busy} data-testid="try-sandbox">
              {t('firstRun.trySandbox')}
            </button>
          </section>
        </div>
      )}
      {/* Offered here, so a register never starts out depending on this computer's keychain alone. */}
      {haveName && mode === 'live' && !backup?.recovery_key.recipient && <RecoveryKeyCard />}
      {haveName && (mode === 'sandbox' || zoom?.connected) && (
        <p>
          <a href="#/">{t('firstRun.toOverview')}</a>
        </p>
      )}
    </section>
  );
}
