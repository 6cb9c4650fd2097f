import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { PROCESSOR_OUTCOMES, PROCESSOR_TASK_STATUSES } from '../../../shared/jobs';
import { asDeskError, call, DeskError } from '../call';
import { Choice, Dialog, ErrorNote, Field, ProgressBar } from '../components/ui';
import { useReviewer } from '../desk-state';
import { useFormat } from '../format';
import { useWebinarNames } from '../webinars';
import type { Detail } from '../request-detail';
import { downloadDocument } from './RequestDocuments';

type Plan = OperationOutput<'planJob'>;
type JobStatus = OperationOutput<'getJobStatus'>;
const RUNNABLE = ['approved', 'partial', 'failed'];

/**
 * The job of a request: the plan before anything happens, Run after a confirmation that says what
 * will change on Zoom, progress followed by polling (a reload picks it up again), the result per
 * record as Zoom answered it, a retry of what failed, and the processor request for what Zoom keeps.
 */
export function RequestJob({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [job, setJob] = useState<JobStatus | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const shown = ['approved', 'running', 'partial', 'failed', 'completed', 'waiting_for_processor'].includes(request.status);

  const refresh = useCallback(async () => {
    const status = await call('getJobStatus', { id: request.id });
    setJob((previous) => {
      // The request's own status follows the job: running once it starts, its outcome once it ends.
      if ((previous?.running ?? false) !== status.running) void onChange();
      return status;
    });
    return status;
  }, [request.id, onChange]);

  useEffect(() => {
    if (!shown) return;
    call('planJob', { id: request.id })
      .then(setPlan)
      .catch((e: unknown) => setError(asDeskError(e)));
    refresh().catch((e: unknown) => setError(asDeskError(e)));
  }, [shown, request.id, request.status, refresh]);

  useEffect(() => {
    if (!job?.running) return;
    const timer = setInterval(() => refresh().catch((e: unknown) => setError(asDeskError(e))), 400);
    return () => clearInterval(timer);
  }, [job?.running, refresh]);

  if (!shown) return null;
  const run = async () => {
    setConfirming(false);
    setError(null);
    try {
      await call('startJob', { id: request.id });
      await refresh();
      await onChange();
    } catch (e) {
      setError(asDeskError(e));
    }
  };

  const runnable = RUNNABLE.includes(request.status) && !job?.running;
  const result = job?.result ?? null;
  return (
    <section className="card" aria-labelledby="job-title" data-testid="job">
      <h2 id="job-title">{t('job.title')}</h2>
      {plan && !result && <PlanView plan={plan} type={request.type} />}
      {runnable && (
        <div className="row">
          <button type="button" className={request.type === 'erasure' ? 'danger' : 'primary'} onClick={() => setConfirming(true)} data-testid="run-job">
            {request.status === 'approved' ? t('job.run') : t('job.retry')}
          </button>
        </div>
      )}
      {job?.running && (
        <div data-testid="job-progress">
          <ProgressBar
            value={job.progress?.done ?? 0}
            max={job.progress?.total ?? 0}
            label={t('job.progress', { done: job.progress?.done ?? 0, total: job.progress?.total ?? 0, action: job.progress?.action ? t(`action.${job.progress.action}`) : '…' })}
          />
          <button type="button" onClick={() => void call('cancelJob', {})}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {job?.error && <ErrorNote error={new DeskError(job.error.code, job.error.message)} testId="job-error" />}
      <ErrorNote error={error} />
      {result && <ResultView result={result} type={request.type} running={Boolean(job?.running)} />}
      {job?.processor_task && <ProcessorTaskView task={job.processor_task} requestId={request.id} onChange={() => void refresh().then(onChange)} />}
      <Dialog open={confirming} title={t('job.confirmTitle')} onClose={() => setConfirming(false)} testId="dialog-run">
        <ConfirmRun plan={plan} request={request} onRun={() => void run()} onCancel={() => setConfirming(false)} />
      </Dialog>
    </section>
  );
}

function count(plan: Plan | null, action: string): number {
  return plan?.steps.filter((s) => s.actions.includes(action as never)).length ?? 0;
}

function ConfirmRun({ plan, request, onRun, onCancel }: { plan: Plan | null; request: Detail; onRun: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const erasure = request.type === 'erasure';
  return (
    <div>
      {erasure ? (
        <ul data-testid="run-summary">
          <li>{t('job.willAnonymize', { count: count(plan, 'anonymize_local') })}</li>
          <li>{t('job.willCancel', { count: count(plan, 'cancel') })}</li>
          <li>{t('job.willDelete', { count: count(plan, 'delete') })}</li>
          <li>{t('job.willStay', { count: plan?.residual.length ?? 0 })}</li>
        </ul>
      ) : (
        <p data-testid="run-summary-other">{t(`job.will.${request.type}`, { count: plan?.steps.filter((x) => x.source === 'registrant').length ?? 0, records: plan?.steps.length ?? 0 })}</p>
      )}
      {erasure && <p className="warn-note">{t('job.irreversible')}</p>}
      <div className="row dialog-buttons">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className={erasure ? 'danger' : 'primary'} onClick={onRun} data-testid="confirm-run">
          {erasure ? t('job.confirmErasure') : t('job.confirmOther')}
        </button>
      </div>
    </div>
  );
}

function PlanView({ plan, type }: { plan: Plan; type: string }) {
  const webinarName = useWebinarNames();
  const { t } = useTranslation();
  return (
    <div data-testid="job-plan">
      <h3>{t('job.plan')}</h3>
      {plan.steps.length === 0 ? (
        <p>{t('job.nothingPlanned')}</p>
      ) : (
        <table className="grid compact">
          <caption className="sr-only">{t('job.plan')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('job.record')}</th>
              <th scope="col">{t('job.webinar')}</th>
              <th scope="col">{t('job.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.steps.map((step, i) => (
              <tr key={i}>
                <td>
                  {t(`source.${step.source}`, { defaultValue: step.source })} {step.registrant_id && <code>{step.registrant_id}</code>}
                </td>
                <td>{webinarName(step.event_id)}</td>
                <td>{step.actions.map((a) => t(`action.${a}`)).join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {type === 'erasure' && <Residual residual={plan.residual} />}
      {plan.notes.length > 0 && (
        <ul className="notes">
          {plan.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Residual({ residual }: { residual: Plan['residual'] }) {
  const webinarName = useWebinarNames();
  const { t } = useTranslation();
  if (residual.length === 0) return <p>{t('job.noResidual')}</p>;
  return (
    <>
      <h3>{t('job.residual')}</h3>
      <p className="hint">{t('job.residualHint')}</p>
      <ul data-testid="job-residual">
        {residual.map((r, i) => (
          <li key={i}>
            {t('job.residualItem', { what: t(`source.${r.source}`, { defaultValue: r.source }), kind: t(`job.residualKind.${r.event_type}`), webinar: webinarName(r.event_id), count: r.records })}
          </li>
        ))}
      </ul>
    </>
  );
}

/** What each type's job gave: access and portability what was collected, restriction what is held, only an erasure what is verified gone. */
function ResultView({ result, type, running }: { result: NonNullable<JobStatus['result']>; type: string; running: boolean }) {
  const webinarName = useWebinarNames();
  const { t } = useTranslation();
  const f = useFormat();
  const erasure = type === 'erasure';
  const [error, setError] = useState<DeskError | null>(null);
  const collected = result.steps.filter((s) => s.actions.some((a) => a.action === 'collect' && a.result === 'done'));
  const held = result.steps.filter((s) => s.actions.some((a) => a.action === 'cancel' && a.result === 'done'));
  return (
    <div data-testid="job-result">
      <h3>
        {running ? t('job.soFar') : t('job.result')}
        {!running && (
          <>
            : <span data-testid="job-result-status">{t(`status.${result.status}`)}</span>
          </>
        )}
      </h3>
      {result.resume_at && <p>{t('job.resumeAt', { at: f.dateTime(result.resume_at) })}</p>}
      <p data-testid="job-outcome">
        {(type === 'access' || type === 'portability') &&
          t('job.outcome.collected', { count: collected.length, events: t('job.outcome.events', { count: new Set(collected.map((s) => s.event_id)).size }) })}
        {(type === 'restriction' || type === 'objection') && t(`job.outcome.${type}`, { count: held.length })}
        {erasure && t('job.outcome.erasure', { count: result.steps.filter((s) => s.verified && s.source === 'registrant').length })}
      </p>
      <ErrorNote error={error} />
      {result.package && (
        <ul className="plain" data-testid="job-package">
          {result.package.map((file) => (
            <li key={file.path}>
              <button type="button" className="link" onClick={() => void downloadDocument(file.path).catch((e: unknown) => setError(asDeskError(e)))}>
                {t('documents.download', { name: file.path.split(/[\\/]/).pop() })}
              </button>{' '}
              <span className="muted small">SHA-256 {file.sha256.slice(0, 16)}…</span>
            </li>
          ))}
        </ul>
      )}
      <table className="grid compact">
        <caption className="sr-only">{t('job.result')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('job.record')}</th>
            <th scope="col">{t('job.webinar')}</th>
            <th scope="col">{erasure ? t('job.zoomAnswered') : t('job.whatDone')}</th>
            {erasure && <th scope="col">{t('job.verified')}</th>}
          </tr>
        </thead>
        <tbody>
          {result.steps.map((step, i) => (
            <tr key={i} data-testid="job-step" data-source={step.source}>
              <td>
                {t(`source.${step.source}`, { defaultValue: step.source })} {step.registrant_id && <code>{step.registrant_id}</code>}
              </td>
              <td>{webinarName(step.event_id)}</td>
              <td>
                <ul className="plain">
                  {step.actions.map((a, j) => (
                    <li key={j} className={`result-${a.result}`}>
                      {t(`action.${a.action}`)}: {t(`result.${a.result}`)}
                      {a.http_status !== null && ` · HTTP ${a.http_status}`}
                      {a.zoom_code !== null && ` · ${t('job.zoomCode', { code: a.zoom_code })}`}
                      {a.at && <span className="muted"> · {f.dateTime(a.at)}</span>}
                    </li>
                  ))}
                </ul>
              </td>
              {erasure && (
                <td data-testid="step-verified">
                  <VerifiedCell step={step} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {erasure && <Residual residual={result.residual} />}
    </div>
  );
}

/** A registration is verified gone or handed to Zoom; a report record stays with Zoom and is what the processor request covers. */
function VerifiedCell({ step }: { step: NonNullable<JobStatus['result']>['steps'][number] }) {
  const { t } = useTranslation();
  if (step.verified) return <span className="badge ok">{t('job.yes')}</span>;
  if (step.handed_to_processor) return <span className="badge warn">{t('job.handedOver')}</span>;
  if (step.source !== 'registrant' && step.source !== 'lists') return <span className="badge warn">{t('job.staysWithZoom')}</span>;
  return <span className="badge muted">{t('job.no')}</span>;
}

/**
 * The processor request to Zoom through its life: prepared, sent (Zoom's answer then falls due),
 * answered (erased closes it and the request; refused or partial waits for the DPO to close it).
 */
function ProcessorTaskView({ task, requestId, onChange }: { task: NonNullable<JobStatus['processor_task']>; requestId: string; onChange: () => void }) {
  const { t } = useTranslation();
  const operator = useReviewer();
  const f = useFormat();
  const [outcome, setOutcome] = useState<(typeof PROCESSOR_OUTCOMES)[number]>('erased');
  const [note, setNote] = useState('');
  const [error, setError] = useState<DeskError | null>(null);
  const update = (status: (typeof PROCESSOR_TASK_STATUSES)[number], extra: { outcome?: (typeof PROCESSOR_OUTCOMES)[number] } = {}) =>
    call('updateProcessorTask', { id: requestId, status, by: operator, ...extra, ...(note.trim() ? { note: note.trim() } : {}) })
      .then(() => {
        setNote('');
        onChange();
      })
      .catch((e: unknown) => setError(asDeskError(e)));
  const noteField = (
    <Field label={t('processor.note')} hint={t('processor.noteHint')}>
      {(props) => <input {...props} value={note} onChange={(e) => setNote(e.target.value)} data-testid="processor-note" />}
    </Field>
  );
  return (
    <div className="processor-task" data-testid="processor-task">
      <h3>{t('processor.title')}</h3>
      <p data-testid="processor-state">
        {task.answered_at
          ? t('processor.answeredOn', { date: f.date(task.answered_at), outcome: t(`processor.outcome.${task.outcome}`) })
          : task.sent_at
            ? t('processor.sentOn', { date: f.date(task.sent_at), due: f.date(task.due_at!) })
            : t('processor.preparedOn', { date: f.date(task.created_at) })}
        {task.status === 'closed' && ` ${t('processor.closedNote')}`}
      </p>
      {task.status === 'open' && (
        <button type="button" onClick={() => void update('sent')} data-testid="processor-sent">
          {t('processor.mark.sent')}
        </button>
      )}
      {task.status === 'sent' && (
        <div className="row">
          <Choice
            label={t('processor.answer')}
            value={outcome}
            options={PROCESSOR_OUTCOMES.map((o) => ({ value: o, label: t(`processor.outcome.${o}`) }))}
            onChange={setOutcome}
            testId="processor-outcome"
          />
          {noteField}
          <button type="button" onClick={() => void update('answered', { outcome })} data-testid="processor-answered">
            {t('processor.mark.answered')}
          </button>
        </div>
      )}
      {task.status === 'answered' && (
        <div className="row">
          {noteField}
          <button type="button" onClick={() => void update('closed')} data-testid="processor-closed">
            {t('processor.mark.closed')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
