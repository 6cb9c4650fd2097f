import type { z } from 'zod';
import { maskEmail, normaliseEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import type { Suggestion, SuggestionList } from '../../../shared/requests';
import type { Db } from '../store/database';
import { withEventFields } from '../store/event-kinds';
import { namesUnder, registrationsNamed } from '../store/namesakes';
import type { SuppressionList } from '../store/suppression';
import { decisionRows } from './addresses';
import type { RequestRegister } from './register';

// "Possibly the same person" (issue 28): registrations in the mirror under another address with a
// name the subject registered with under one of the request's addresses. Offered to the DPO, who
// accepts (the address joins the request and needs its own identity check) or dismisses (never
// offered again). Nothing is erased on a name match alone.

export interface SuggestionDeps {
  db: Db;
  register: RequestRegister;
  suppression: () => Promise<SuppressionList>;
}

type SuggestionOut = z.output<typeof Suggestion>;

export class Suggestions {
  constructor(private readonly deps: SuggestionDeps) {}

  async list(id: string): Promise<z.output<typeof SuggestionList>> {
    const { db } = this.deps;
    const request = await this.deps.register.get(id);
    const suppression = await this.deps.suppression();
    const own = new Set(request.emails);
    const found = new Map<string, { name: string; sources: number; events: Set<string> }>();
    for (const name of namesUnder(db, request.emails)) {
      for (const r of registrationsNamed(db, name)) {
        if (own.has(r.email_norm)) continue;
        const entry = found.get(r.email_norm) ?? { name: `${r.first_name} ${r.last_name}`, sources: 0, events: new Set<string>() };
        entry.sources++;
        entry.events.add(r.event_id);
        found.set(r.email_norm, entry);
      }
    }
    const decisions = new Map(decisionRows(db, id).map((d) => [d.subject_hash, d]));
    const suggestions: SuggestionOut[] = [];
    for (const [email, entry] of found) {
      const decision = decisions.get(suppression.hashOf(email));
      decisions.delete(suppression.hashOf(email));
      suggestions.push({
        email,
        name: entry.name,
        sources: entry.sources,
        events: [...entry.events].sort().map((eventId) => withEventFields(db, { event_id: eventId })),
        state: decision?.state ?? 'open',
        decided_by: decision?.decided_by ?? null,
        decided_at: decision?.decided_at ?? null,
      });
    }
    // Decisions whose address no longer shows a match (an accepted one is now the request's own): still on record.
    for (const d of decisions.values()) {
      suggestions.push({ email: d.email === null ? d.masked : suppression.unseal(d.email), name: null, sources: 0, events: [], state: d.state, decided_by: d.decided_by, decided_at: d.decided_at });
    }
    const order = { open: 0, accepted: 1, dismissed: 2 } as const;
    suggestions.sort((a, b) => order[a.state] - order[b.state] || a.email.localeCompare(b.email));
    return { request_id: id, suggestions };
  }

  /** Accept or dismiss an open suggestion; either is recorded in the timeline and the audit log. */
  async decide(id: string, email: string, decision: 'accept' | 'dismiss', by: string): Promise<z.output<typeof SuggestionList>> {
    const wanted = normaliseEmail(email);
    const current = (await this.list(id)).suggestions.find((s) => s.email === wanted);
    if (!current) {
      throw new AppError(
        'NOT_FOUND',
        `${maskEmail(wanted)} is not suggested for ${id} (\`request suggestions ${id}\` lists them); to add an address you know is the subject's, use \`request add-address\`.`,
      );
    }
    if (current.state !== 'open')
      throw new AppError('INVALID_STATE', `The suggestion ${maskEmail(wanted)} on ${id} was already ${current.state} by ${current.decided_by} on ${current.decided_at?.slice(0, 10)}.`);
    if (decision === 'accept') await this.deps.register.acceptSuggestion(id, wanted, by);
    else await this.deps.register.dismissSuggestion(id, wanted, by);
    return this.list(id);
  }
}
