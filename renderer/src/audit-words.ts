import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../shared/audit';
import { useFormat } from './format';

// An audit entry as a sentence a DPO reads ("Dana DPO approved DSR-2026-0001."), its details as
// facts beside it rather than JSON. The entry itself, as hashed, is what `audit export` writes.

/** Values that read as an instant or a calendar day in the details. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface AuditWords {
  actor(actor: string): string;
  sentence(entry: AuditEntry): string;
  facts(entry: AuditEntry): [string, string][];
}

export function useAuditWords(): AuditWords {
  const { t } = useTranslation();
  const f = useFormat();
  const actor = (name: string) => t(`audit.system.${name}`, { defaultValue: name });
  const value = (v: unknown): string => {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
    if (typeof v === 'string') return INSTANT.test(v) ? f.dateTime(v) : DAY.test(v) ? f.date(`${v}T12:00:00Z`) : v;
    if (typeof v === 'number') return f.number(v);
    if (Array.isArray(v)) return v.map(value).join(', ');
    return Object.entries(v as Record<string, unknown>)
      .map(([k, inner]) => `${k}: ${value(inner)}`)
      .join('; ');
  };
  return {
    actor,
    sentence: (entry) => sentenceOf(t, entry, actor(entry.actor), value),
    facts: (entry) => Object.entries(entry.details).map(([k, v]) => [k.replaceAll('_', ' '), value(v)]),
  };
}

function sentenceOf(t: TFunction, entry: AuditEntry, actor: string, value: (v: unknown) => string): string {
  const d = entry.details;
  const key = `audit.says.${entry.action.replaceAll('.', '_')}`;
  const to = entry.action === 'job.processor_request_status' ? t(`audit.processorStatus.${String(d.to)}`, { defaultValue: String(d.to) }) : value(d.to);
  const words = { actor, request: entry.request_id ?? '', action: entry.action, from: value(d.from), to };
  const said = t(key, { ...words, defaultValue: t('audit.says.other', words) });
  // A call to Zoom says what Zoom answered: the result and the HTTP status, as recorded.
  if (entry.action.startsWith('job.') && typeof d.result === 'string' && d.http_status !== undefined && d.http_status !== null) {
    const outcome = t('audit.outcome', {
      result: t(`audit.result.${d.result}`, { defaultValue: d.result }),
      status: d.http_status,
      code: typeof d.zoom_code === 'number' ? t('audit.zoomCode', { code: d.zoom_code }) : '',
    });
    return `${said.replace(/\.$/, '')}${outcome}.`;
  }
  return said;
}
