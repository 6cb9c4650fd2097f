import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ERASURE_GROUNDS, IDENTITY_METHODS, REFUSAL_ARTICLES, refusalOf, type RequestAction } from '../../../shared/requests';
import { asDeskError, call, type DeskError } from '../call';
import { Dialog, ErrorNote, Field } from '../components/ui';
import { useReviewer } from '../desk-state';
import { useFormat } from '../format';
import type { Detail } from '../request-detail';

type Decision = 'verify' | 'approve' | 'refuse' | 'extend' | 'hold' | 'resume';
const ACTION_OF: Record<Decision, RequestAction> = { verify: 'verify_identity', approve: 'approve', refuse: 'refuse', extend: 'extend', hold: 'hold', resume: 'resume' };

/**
 * The decisions a request waits for, each in a dialog of its own (an identity note can never
 * become a refusal reason), each recorded under the reviewer's name. What can't be undone asks
 * for an explicit confirmation.
 */
export function RequestDecisions({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Decision | null>(null);
  const heldFrom = request.hold?.from ?? null;
  const available = (Object.keys(ACTION_OF) as Decision[]).filter((d) => {
    if (d === 'extend' && request.extended) return false;
    return refusalOf(ACTION_OF[d], request.status, heldFrom) === null;
  });
  const close = () => setOpen(null);
  const done = async () => {
    setOpen(null);
    await onChange();
  };

  return (
    <section className="card" aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t('decide.title')}</h2>
      {available.length === 0 ? (
        <p>{t('decide.none')}</p>
      ) : (
        <div className="row">
          {available.map((d) => (
            <button key={d} type="button" className={d === 'approve' || d === 'verify' ? 'primary' : d === 'refuse' ? 'danger' : ''} onClick={() => setOpen(d)} data-testid={`decide-${d}`}>
              {t(`decide.${d}.button`)}
            </button>
          ))}
        </div>
      )}
      <Dialog open={open === 'verify'} title={t('decide.verify.title')} onClose={close} testId="dialog-verify">
        <VerifyForm request={request} onDone={done} onCancel={close} />
      </Dialog>
      <Dialog open={open === 'approve'} title={t('decide.approve.title')} onClose={close} testId="dialog-approve">
        <ApproveForm request={request} onDone={done} onCancel={close} />
      </Dialog>
      <Dialog open={open === 'refuse'} title={t('decide.refuse.title')} onClose={close} testId="dialog-refuse">
        <RefuseForm request={request} onDone={done} onCancel={close} />
      </Dialog>
      <Dialog open={open === 'extend'} title={t('decide.extend.title')} onClose={close} testId="dialog-extend">
        <ExtendForm request={request} onDone={done} onCancel={close} />
      </Dialog>
      <Dialog open={open === 'hold'} title={t('decide.hold.title')} onClose={close} testId="dialog-hold">
        <HoldForm request={request} onDone={done} onCancel={close} />
      </Dialog>
      <Dialog open={open === 'resume'} title={t('decide.resume.title')} onClose={close} testId="dialog-resume">
        <ResumeForm request={request} onDone={done} onCancel={close} />
      </Dialog>
    </section>
  );
}

interface FormProps {
  request: Detail;
  onDone: () => Promise<void>;
  onCancel: () => void;
}

/** The frame of every decision: what it does, its fields, who is recorded, confirm or cancel. */
function DecisionForm({
  explain,
  submitLabel,
  danger,
  onSubmit,
  onCancel,
  children,
  valid,
}: {
  explain: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: () => Promise<unknown>;
  onCancel: () => void;
  children?: ReactNode;
  valid: boolean;
}) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    try {
      await onSubmit();
    } catch (e) {
      setError(asDeskError(e));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <p>{explain}</p>
      {children}
      <p className="hint">{t('decide.recordedAs', { name: reviewer })}</p>
      <ErrorNote error={error} testId="decision-error" />
      <div className="row dialog-buttons">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy || !valid} data-testid="decision-submit">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** With `email`, the check is recorded for that address; without, for every address not yet checked. */
export function VerifyForm({ request, onDone, onCancel, email }: FormProps & { email?: string }) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  const [choice, setChoice] = useState<(typeof IDENTITY_METHODS)[number] | 'other' | ''>('');
  const [other, setOther] = useState('');
  // A method from the list is recorded as its code (shown in words in either language); another is written out.
  const method = choice === 'other' ? other.trim() : choice;
  return (
    <DecisionForm
      explain={
        email
          ? t('addresses.verifyExplain', { email })
          : request.addresses.length > 1
            ? `${t('decide.verify.explain')} ${t('addresses.verifyEvery', { count: request.addresses.filter((a) => !a.identity).length })}`
            : t('decide.verify.explain')
      }
      submitLabel={t('decide.verify.submit')}
      valid={method.length >= 3}
      onCancel={onCancel}
      onSubmit={() => call('verifyIdentity', { id: request.id, method, by: reviewer, ...(email ? { email } : {}) }).then(onDone)}
    >
      <Field label={t('decide.verify.method')} hint={t('decide.verify.methodHint')}>
        {(props) => (
          <select {...props} value={choice} onChange={(e) => setChoice(e.target.value as typeof choice)} required data-testid="verify-method">
            <option value="">{t('decide.verify.pickMethod')}</option>
            {IDENTITY_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`identityMethod.${m}`)}
              </option>
            ))}
            <option value="other">{t('decide.verify.other')}</option>
          </select>
        )}
      </Field>
      {choice === 'other' && (
        <Field label={t('decide.verify.otherText')}>
          {(props) => <textarea {...props} value={other} onChange={(e) => setOther(e.target.value)} rows={2} required data-testid="verify-method-other" />}
        </Field>
      )}
    </DecisionForm>
  );
}

function ApproveForm({ request, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  const [note, setNote] = useState('');
  const [ground, setGround] = useState<(typeof ERASURE_GROUNDS)[number] | ''>('');
  const [checked, setChecked] = useState(false);
  const erasure = request.type === 'erasure';
  return (
    <DecisionForm
      explain={t(`decide.approve.explain.${erasure ? 'erasure' : 'other'}`)}
      submitLabel={t('decide.approve.submit')}
      valid={!erasure || (ground !== '' && checked)}
      onCancel={onCancel}
      onSubmit={() =>
        call('approveRequest', { id: request.id, by: reviewer, note: note.trim() || undefined, ...(erasure && ground ? { ground, exceptions_checked: true as const } : {}) }).then(onDone)
      }
    >
      {erasure && (
        <>
          <Field label={t('decide.approve.ground')}>
            {(props) => (
              <select {...props} value={ground} onChange={(e) => setGround(e.target.value as typeof ground)} required data-testid="approve-ground">
                <option value="">{t('decide.approve.pickGround')}</option>
                {ERASURE_GROUNDS.map((g) => (
                  <option key={g} value={g}>
                    {f.art(g)}: {t(`ground.${g}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="approve-exceptions" /> {t('decide.approve.exceptions')}
          </label>
          <p className="hint">{t('decide.approve.exceptionsHint')}</p>
        </>
      )}
      <Field label={t('decide.approve.note')}>{(props) => <textarea {...props} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />}</Field>
    </DecisionForm>
  );
}

function RefuseForm({ request, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  const [article, setArticle] = useState<(typeof REFUSAL_ARTICLES)[number] | ''>('');
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  return (
    <DecisionForm
      explain={t('decide.refuse.explain')}
      submitLabel={t('decide.refuse.submit')}
      danger
      valid={article !== '' && reason.trim().length >= 3 && confirmed}
      onCancel={onCancel}
      onSubmit={() => call('refuseRequest', { id: request.id, by: reviewer, reason: reason.trim(), article: article || undefined }).then(onDone)}
    >
      <Field label={t('decide.refuse.article')}>
        {(props) => (
          <select {...props} value={article} onChange={(e) => setArticle(e.target.value as typeof article)} required data-testid="refuse-article">
            <option value="">{t('decide.refuse.pickArticle')}</option>
            {REFUSAL_ARTICLES.map((a) => (
              <option key={a} value={a}>
                {f.art(a)}: {t(`refusal.${a}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('decide.refuse.reason')} hint={t('decide.refuse.reasonHint')}>
        {(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required data-testid="refuse-reason" />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="refuse-confirm" /> {t('decide.refuse.confirm')}
      </label>
    </DecisionForm>
  );
}

function ExtendForm({ request, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  const [months, setMonths] = useState<1 | 2>(2);
  const [reason, setReason] = useState('');
  const [notified, setNotified] = useState(f.day(new Date()));
  const today = f.day(new Date());
  return (
    <DecisionForm
      explain={t('decide.extend.explain')}
      submitLabel={t('decide.extend.submit')}
      valid={reason.trim().length >= 3 && /^\d{4}-\d{2}-\d{2}$/.test(notified) && notified <= today}
      onCancel={onCancel}
      onSubmit={() =>
        call('extendRequest', {
          id: request.id,
          by: reviewer,
          reason: reason.trim(),
          months,
          notified_at: notified === today ? new Date().toISOString() : f.noonOf(notified),
        }).then(onDone)
      }
    >
      <Field label={t('decide.extend.months')}>
        {(props) => (
          <select {...props} value={months} onChange={(e) => setMonths(Number(e.target.value) as 1 | 2)}>
            <option value={1}>{t('decide.extend.byMonths', { count: 1 })}</option>
            <option value={2}>{t('decide.extend.byMonths', { count: 2 })}</option>
          </select>
        )}
      </Field>
      <Field label={t('decide.extend.reason')} hint={t('decide.extend.reasonHint')}>
        {(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required />}
      </Field>
      <Field label={t('decide.extend.notified', { zone: f.timeZone })}>{(props) => <input {...props} type="date" value={notified} max={today} onChange={(e) => setNotified(e.target.value)} />}</Field>
    </DecisionForm>
  );
}

function HoldForm({ request, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  const [reason, setReason] = useState('');
  return (
    <DecisionForm
      explain={t('decide.hold.explain')}
      submitLabel={t('decide.hold.submit')}
      valid={reason.trim().length >= 3}
      onCancel={onCancel}
      onSubmit={() => call('holdRequest', { id: request.id, by: reviewer, reason: reason.trim() }).then(onDone)}
    >
      <Field label={t('decide.hold.reason')}>{(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required />}</Field>
    </DecisionForm>
  );
}

function ResumeForm({ request, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  return (
    <DecisionForm
      explain={t('decide.resume.explain', { status: t(`status.${request.hold?.from ?? 'received'}`) })}
      submitLabel={t('decide.resume.submit')}
      valid
      onCancel={onCancel}
      onSubmit={() => call('resumeRequest', { id: request.id, by: reviewer }).then(onDone)}
    />
  );
}
