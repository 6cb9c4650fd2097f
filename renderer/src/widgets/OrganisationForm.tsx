import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTHORITIES, authorityOf, authorityText } from '../../../shared/authorities';
import { LANGUAGES, organisationComplete, organisationMissing, type Language, type Settings } from '../../../shared/settings';
import { asDeskError, type DeskError } from '../call';
import { Choice, ErrorNote, Field } from '../components/ui';
import { useDesk } from '../desk-state';

const OTHER = 'other';

/**
 * The organisation every document speaks for: its name, how to reach it, its DPO, the supervisory
 * authority a subject may complain to (picked from the list, or written out) and the language of
 * replies. Asked at first run; Settings holds the same fields.
 */
export function OrganisationForm({ title }: { title?: string }) {
  const { t } = useTranslation();
  const { settings, saveSettings } = useDesk();
  const known = authorityOf(settings?.supervisory_authority ?? null);
  const [name, setName] = useState(settings?.organisation_name ?? '');
  const [contact, setContact] = useState(settings?.organisation_contact ?? '');
  const [dpo, setDpo] = useState(settings?.dpo_email ?? '');
  const [authority, setAuthority] = useState(known?.id ?? (settings?.supervisory_authority ? OTHER : ''));
  const [authorityFree, setAuthorityFree] = useState(known ? '' : (settings?.supervisory_authority ?? ''));
  // Before the organisation is set, replies default to the language the person works in.
  const [language, setLanguage] = useState<Language>(settings?.organisation_name ? settings.language : (settings?.ui_language ?? settings?.language ?? 'en'));
  const [error, setError] = useState<DeskError | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const picked = AUTHORITIES.find((a) => a.id === authority);
    try {
      await saveSettings({
        organisation_name: name.trim() || null,
        organisation_contact: contact.trim() || null,
        dpo_email: dpo.trim() || null,
        supervisory_authority: picked ? authorityText(picked) : authorityFree.trim() || null,
        language,
      });
      setError(null);
      setSaved(true);
    } catch (e) {
      setError(asDeskError(e));
      setSaved(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="organisation-step" data-testid="organisation-form">
      <h2 id="organisation-step">{title ?? t('organisation.title')}</h2>
      <p>{t('organisation.lead')}</p>
      <Field label={t('organisation.name')}>{(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} autoComplete="organization" data-testid="org-name" />}</Field>
      <Field label={t('organisation.contact')} hint={t('organisation.contactHint')}>
        {(props) => <textarea {...props} value={contact} onChange={(e) => setContact(e.target.value)} rows={3} data-testid="org-contact" />}
      </Field>
      <Field label={t('organisation.dpo')} hint={t('organisation.dpoHint')}>
        {(props) => <input {...props} type="email" value={dpo} onChange={(e) => setDpo(e.target.value)} data-testid="org-dpo" />}
      </Field>
      <Choice
        label={t('organisation.authority')}
        hint={t('organisation.authorityHint')}
        value={authority}
        options={[
          { value: '', label: t('organisation.authorityChoose') },
          ...AUTHORITIES.map((a) => ({ value: a.id, label: `${a.where}: ${a.name}` })),
          { value: OTHER, label: t('organisation.authorityOther') },
        ]}
        onChange={setAuthority}
        testId="org-authority"
      />
      {authority === OTHER && (
        <Field label={t('organisation.authorityText')}>
          {(props) => <textarea {...props} value={authorityFree} onChange={(e) => setAuthorityFree(e.target.value)} rows={2} data-testid="org-authority-text" />}
        </Field>
      )}
      <Choice label={t('settings.replyLanguage')} value={language} options={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))} onChange={setLanguage} testId="org-language" />
      <button type="submit" className="primary" data-testid="save-organisation">
        {t('organisation.save')}
      </button>
      {saved && (
        <p className="ok-note" role="status">
          {organisationComplete(useDesk.getState().settings) ? t('organisation.saved') : t('organisation.savedIncomplete')}
        </p>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
