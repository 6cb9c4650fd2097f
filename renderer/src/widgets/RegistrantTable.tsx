import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationInput, OperationOutput } from '../../../shared/contract';
import { asDeskError, call, type DeskError } from '../call';
import { ErrorNote } from '../components/ui';
import { useFormat } from '../format';

export type Row = OperationOutput<'listRegistrants'>['rows'][number];
export type RegistrantQuery = Pick<OperationInput<'listRegistrants'>, 'event_id' | 'status' | 'search' | 'change_kind' | 'account'>;

const ROW_HEIGHT = 36;
const PAGE = 50;
/** Pages kept in memory: the window never holds every row, only what is near the viewport. */
const MAX_PAGES = 24;
const LOAD_AFTER_MS = 60;
const LOAD_AT_LEAST_MS = 400;

type Page = OperationOutput<'listRegistrants'>;
const keyOf = (query: RegistrantQuery) => JSON.stringify(query);
const firstPageOf = (query: RegistrantQuery) => call('listRegistrants', { ...query, limit: PAGE, offset: 0, with_total: true });

/** A first page asked for from the input's own event, before React renders the new filter. */
let early: { key: string; answer: Promise<Page> } | null = null;

/**
 * Starts a query's first page at once: called from a filter's change event, so the core works
 * while the window renders the keystroke instead of after it (the table takes the answer over).
 */
export function startFirstPage(query: RegistrantQuery, shown: RegistrantQuery): void {
  if (keyOf(query) === keyOf(shown)) return;
  const answer = firstPageOf(query);
  // Marked as handled here; the table that takes it over still sees the rejection.
  answer.catch(() => undefined);
  early = { key: keyOf(query), answer };
}

/** The early answer if it is for this query, once; otherwise a call made now. */
function takeFirstPage(query: RegistrantQuery): Promise<Page> {
  const taken = early?.key === keyOf(query) ? early.answer : null;
  early = null;
  return taken ?? firstPageOf(query);
}

/**
 * The registrants of the mirror as one long table that only renders the rows in view (plus a few),
 * fetched page by page from the core as the viewport reaches them. A new filter starts a new
 * generation: late pages of the old one are dropped.
 */
export function RegistrantTable({ query, onOpen, refresh = 0, showAccount = false }: { query: RegistrantQuery; onOpen: (row: Row) => void; refresh?: number; showAccount?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  const [version, repaint] = useReducer((n: number) => n + 1, 0);
  const pages = useRef(new Map<number, Row[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const queryKey = keyOf(query);
  const [shownKey, setShownKey] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  /** The rows in view (set each render), for page loads and eviction that happen between renders. */
  const wanted = useRef({ first: 0, last: 0 });
  /** The query the cached pages belong to. */
  const pagesKey = useRef<string | null>(null);

  /** Pages `first` to `first + count - 1` in one call (the view's pages answer and paint together). */
  const load = useCallback(
    async (first: number, count: number, gen: number) => {
      const asked = Array.from({ length: count }, (_, i) => first + i);
      asked.forEach((page) => pending.current.add(page));
      try {
        // Only a query's first page counts its matches; later pages (deep in 100,000 rows) skip the count.
        const result = first === 0 && count === 1 ? await takeFirstPage(query) : await call('listRegistrants', { ...query, limit: count * PAGE, offset: first * PAGE, with_total: false });
        if (gen !== generation.current) return;
        if (pagesKey.current !== queryKey) {
          pages.current.clear();
          pagesKey.current = queryKey;
          scrollRef.current?.scrollTo({ top: 0 });
        }
        asked.forEach((page, i) => pages.current.set(page, result.rows.slice(i * PAGE, (i + 1) * PAGE)));
        // Evict the page farthest from the view (not from the page that arrived: a late page from
        // the middle of a fast scroll must not push out the page the view stopped on).
        const viewPage = Math.floor(wanted.current.first / PAGE);
        while (pages.current.size > MAX_PAGES) {
          const farthest = [...pages.current.keys()].sort((a, b) => Math.abs(b - viewPage) - Math.abs(a - viewPage))[0]!;
          pages.current.delete(farthest);
        }
        if (result.total !== null) setTotal(result.total);
        setShownKey(queryKey);
        setError(null);
        repaint();
      } catch (e) {
        if (gen === generation.current) setError(asDeskError(e));
      } finally {
        asked.forEach((page) => pending.current.delete(page));
      }
    },
    // The query is read through its key: a new object with the same filter is the same query.
    [queryKey],
  );

  // A new filter: a new generation, its first page at once (the old rows stay until it arrives).
  useEffect(() => {
    generation.current += 1;
    pending.current.clear();
    void load(0, 1, generation.current);
  }, [load]);

  // A sync ended or a live change was heard: the same table, the same position, an open drawer
  // kept; the pages in view are read again with the count, the others when the view reaches them.
  const [added, setAdded] = useState(0);
  const totalRef = useRef<number | null>(null);
  totalRef.current = total;
  useEffect(() => {
    if (refresh === 0) return;
    const gen = generation.current;
    const firstPage = Math.floor(wanted.current.first / PAGE);
    const count = Math.floor(wanted.current.last / PAGE) - firstPage + 1;
    call('listRegistrants', { ...query, limit: count * PAGE, offset: firstPage * PAGE, with_total: true })
      .then((result) => {
        if (gen !== generation.current) return;
        pages.current.clear();
        for (let i = 0; i < count; i++) pages.current.set(firstPage + i, result.rows.slice(i * PAGE, (i + 1) * PAGE));
        if (result.total !== null) {
          const before = totalRef.current;
          if (before !== null && result.total > before) setAdded((n) => n + result.total! - before);
          setTotal(result.total);
        }
        repaint();
      })
      .catch((e: unknown) => setError(asDeskError(e)));
    // Only a refresh reads again here; a new filter is the effect above.
  }, [refresh]);
  useEffect(() => setAdded(0), [queryKey]);

  const fresh = shownKey === queryKey;
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Pages for the rows in view once the view has rested LOAD_AFTER_MS, or every LOAD_AT_LEAST_MS
  // while it keeps moving: a fast scroll past 50,000 rows asks for the pages where it stops, not
  // for every page it passes (each of which the core would still answer, in turn, first).
  wanted.current = { first, last };
  const movingSince = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!fresh) return;
    const loadInView = () => {
      timer.current = null;
      movingSince.current = null;
      const view = wanted.current;
      const missing: number[] = [];
      for (let page = Math.floor(view.first / PAGE); page <= Math.floor(view.last / PAGE); page++) {
        if (!pages.current.has(page) && !pending.current.has(page)) missing.push(page);
      }
      // The view spans two or three pages: the missing ones from the first to the last in one call.
      if (missing.length > 0) void load(missing[0]!, missing[missing.length - 1]! - missing[0]! + 1, generation.current);
    };
    movingSince.current ??= performance.now();
    if (timer.current) clearTimeout(timer.current);
    const waited = performance.now() - movingSince.current;
    timer.current = setTimeout(loadInView, waited >= LOAD_AT_LEAST_MS ? 0 : LOAD_AFTER_MS);
  }, [first, last, fresh, load]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const rowAt = (index: number) => pages.current.get(Math.floor(index / PAGE))?.[index % PAGE];
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  return (
    <div className="registrant-table">
      <p className="muted" aria-live="polite" data-testid="registrant-total">
        {total === null ? t('common.loading') : t('mirror.rows', { count: total, n: f.number(total) })}
        {added > 0 && <span data-testid="registrant-added"> · {t('mirror.added', { count: added, n: f.number(added) })}</span>}
      </p>
      <ErrorNote error={error} />
      <div className="scroller" ref={scrollRef} data-testid="registrant-scroller" tabIndex={0} aria-label={t('mirror.tableScroll')}>
        <table className={`grid sticky${showAccount ? ' with-account' : ''}`} aria-rowcount={(total ?? 0) + 1} aria-busy={!fresh}>
          <caption className="sr-only">{t('mirror.tableCaption')}</caption>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">{t('mirror.email')}</th>
              <th scope="col">{t('mirror.name')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('mirror.lastChange')}</th>
              <th scope="col">{t('mirror.registered')}</th>
              {showAccount && <th scope="col">{t('mirror.account')}</th>}
            </tr>
          </thead>
          <RegistrantRows items={items} rowAt={rowAt} shownKey={shownKey} version={version} paddingTop={paddingTop} paddingBottom={paddingBottom} onOpen={onOpen} showAccount={showAccount} />
        </table>
      </div>
    </div>
  );
}

interface RowsProps {
  items: VirtualItem[];
  rowAt: (index: number) => Row | undefined;
  shownKey: string | null;
  /** Bumped when a page arrives or leaves: the rows to show changed though `items` did not. */
  version: number;
  paddingTop: number;
  paddingBottom: number;
  onOpen: (row: Row) => void;
  /** A column naming each row's Zoom account (several connected), marking a disconnected one. */
  showAccount: boolean;
}

/**
 * The rows in view. Memoised: a keystroke re-renders the screen while its rows stay those of the
 * last answer, and rendering them again then only delays the new answer's paint.
 */
const RegistrantRows = memo(
  function RegistrantRows({ items, rowAt, shownKey, paddingTop, paddingBottom, onOpen, showAccount }: RowsProps) {
    const { t } = useTranslation();
    const f = useFormat();
    return (
      <tbody data-testid="registrant-rows" data-query={shownKey ?? ''}>
        {paddingTop > 0 && <tr aria-hidden="true" style={{ height: paddingTop }} />}
        {items.map((item) => {
          const row = rowAt(item.index);
          return (
            <tr key={item.index} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }} data-testid="registrant-row" className={row?.account_disconnected ? 'from-disconnected' : undefined}>
              {row ? (
                <>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(row)}>
                      {row.email ?? (row.erased_by ? t('mirror.noPersonalData') : '–')}
                    </button>
                  </td>
                  <td>{[row.first_name, row.last_name].filter(Boolean).join(' ') || '–'}</td>
                  <td>
                    <RegistrantState row={row} />
                  </td>
                  {/* The change over its date, in the row's height: neither is cut where the column is narrow. */}
                  <td className="two-lines">
                    {row.last_change ? (
                      <>
                        <span>{t(`change.${row.last_change.kind}`)}</span>
                        <span className="sub">{f.date(row.last_change.observed_at)}</span>
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>{f.date(row.create_time)}</td>
                  {showAccount && (
                    <td data-testid="row-account">{row.account_disconnected ? <span className="badge disconnected">{t('mirror.accountDisconnected', { name: row.account })}</span> : row.account}</td>
                  )}
                </>
              ) : (
                <td colSpan={showAccount ? 6 : 5} className="muted">
                  {t('common.loading')}
                </td>
              )}
            </tr>
          );
        })}
        {paddingBottom > 0 && <tr aria-hidden="true" style={{ height: paddingBottom }} />}
      </tbody>
    );
  },
  // rowAt reads the page cache (a ref); `version` says when that changed.
  (before, after) => (Object.keys(before) as (keyof RowsProps)[]).every((key) => key === 'rowAt' || before[key] === after[key]),
);

/** Erased reads as erased (with the request), not as the last status Zoom had. */
export function RegistrantState({ row }: { row: Row }) {
  const { t } = useTranslation();
  if (row.erased_by) return <span className="badge erased">{t('mirror.erasedBy', { id: row.erased_by })}</span>;
  if (!row.present) return <span className="badge muted">{row.last_change ? t(`change.${row.last_change.kind}`) : t('registrantState.gone')}</span>;
  return <span className={`badge status-${row.status}`}>{t(`registrantState.${row.status}`)}</span>;
}
