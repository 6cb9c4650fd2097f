import { useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorHint } from '../../../shared/errors';
import type { DeskError } from '../call';
import { hrefOf, type Route } from '../router';

// The few pieces every screen uses: an error that says what to do, a modal dialog, a button for an
// action that takes a while, a progress bar.

/** A refusal from the core: a translated line for its code (what to do) and the core's own detail. */
export function ErrorNote({ error, testId }: { error: DeskError | null; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div role="alert" className="error-note" data-testid={testId ?? 'error'}>
      <p>
        <strong>{t(`errors.${error.code}`, { defaultValue: t('errors.INTERNAL') })}</strong>
      </p>
      <p className="detail">
        {error.message} <code>{error.code}</code>
      </p>
      {error.hint && <HintAction hint={error.hint} />}
    </div>
  );
}

/** Where the window does what a hint asks; none where the screen showing the error is that place (the unlock screen). */
function routeOfHint(hint: ErrorHint): Route | null {
  switch (hint.action) {
    case 'connect':
    case 'connect-and-sync':
    case 'set-operator':
    case 'complete-organisation':
    case 'create-recovery-key':
    case 'set-backup-folder':
      return { name: 'settings' };
    case 'list-requests':
      return { name: 'requests' };
    case 'rectify':
      return { name: 'request', id: hint.request_id };
    case 'unlock':
      return null;
  }
}

/** The core's hint as what to click here; the command line says the same hint as a command to run. */
function HintAction({ hint }: { hint: ErrorHint }) {
  const { t } = useTranslation();
  const route = routeOfHint(hint);
  const words = t(`errorHint.${hint.action}`);
  return (
    <p className="hint-action" data-testid="error-hint">
      {route ? <a href={hrefOf(route)}>{words}</a> : words}
    </p>
  );
}

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside it, Escape closes it, and
 * focus returns to what opened it.
 */
export function Dialog({ open, title, onClose, children, testId }: { open: boolean; title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // The state alone opens and closes the dialog. Escape asks to close (cancel) and the state
    // closes it; a close event comes a task later, so one that finds the dialog open again belongs
    // to an earlier closing and is ignored. Else an Enter on the opener right after Escape would
    // leave the state open with the dialog shut, or see the new dialog shut by the old event.
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClose={() => {
        if (!ref.current?.open) onClose();
      }}
      data-testid={testId}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/**
 * A button whose action takes a while: while `busy` it is aria-disabled and ignores presses, but
 * keeps focus. A disabled button would drop focus to the page, and a keyboard user their place.
 */
export function BusyButton({ busy, onClick, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return <button type="button" {...props} aria-disabled={busy} onClick={busy ? undefined : onClick} />;
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <div className="progress">
      <progress value={max > 0 ? value : undefined} max={max > 0 ? max : undefined} aria-label={label} />
      <span aria-live="polite">{label}</span>
    </div>
  );
}

/** A labelled form field: the label is bound to its control and the hint and error are announced with it. */
export function Field({
  label,
  hint,
  error,
  children,
  id,
}: {
  label: string;
  hint?: string;
  error?: string | null;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
  id?: string;
}) {
  const generated = useId();
  const fieldId = id ?? generated;
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {children({ id: fieldId, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Deadline badge: overdue, due within 7 days, or nothing. */
/**
 * How near an open request's deadline is: overdue or within 3 days in red, within 14 in amber;
 * further off it is said only where `always` (the request's own page), in the calm colour.
 */
export function DeadlineBadge({ daysLeft, overdue, open, always = false }: { daysLeft: number; overdue: boolean; open: boolean; always?: boolean }) {
  const { t } = useTranslation();
  if (!open) return null;
  if (overdue)
    return (
      <span className="badge danger" data-testid="days-left">
        {t('badge.overdue', { count: -daysLeft })}
      </span>
    );
  if (daysLeft <= 3)
    return (
      <span className="badge danger" data-testid="days-left">
        {t('badge.dueSoon', { count: daysLeft })}
      </span>
    );
  if (daysLeft <= 14 && (always || daysLeft <= 7))
    return (
      <span className="badge warn" data-testid="days-left">
        {t('badge.dueSoon', { count: daysLeft })}
      </span>
    );
  if (always)
    return (
      <span className="badge ok" data-testid="days-left">
        {t('badge.daysLeft', { count: daysLeft })}
      </span>
    );
  return null;
}

/** A labelled select over a fixed list (a language, a plan, a type): one shape for every such field. */
export function Choice<V extends string | number>({
  label,
  hint,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  hint?: string;
  value: V;
  options: { value: V; label: string }[];
  onChange: (value: V) => void;
  testId?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(options.find((o) => String(o.value) === e.target.value)!.value)} data-testid={testId}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The register's time zone: any IANA name, with the list of them offered as the person types. */
export function TimeZoneField({
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  testId,
}: {
  label: string;
  hint: string;
  error: string | null;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  const listId = useId();
  return (
    <>
      <Field label={label} hint={hint} error={error}>
        {(props) => <input {...props} value={value} onChange={(e) => onChange(e.target.value)} list={listId} placeholder={placeholder} data-testid={testId} />}
      </Field>
      <datalist id={listId}>
        {Intl.supportedValuesOf('timeZone').map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}
