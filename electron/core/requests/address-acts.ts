import type { z } from 'zod';
import { maskEmail, normaliseEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import { MAX_ADDRESSES, refusalOf, type Acting, type AddAddressInput, type RequestAction, type RequestDetail, type RequestStatus, type VerifyIdentityInput } from '../../../shared/requests';
import { addressRows, insertAddress, recordAddressIdentity, recordDecision, type AddressRow } from './addresses';
import type { RegisterDeps } from './register';
import type { RequestRow } from './request-detail';

// The register's acts on a person's addresses (issue 28): an identity check per address, another
// address before the job runs, a name match accepted or dismissed. Each is one of the register's
// moves (its transaction, timeline event and audit entry); addresses.ts writes the rows.

type Patch = Partial<Omit<RequestRow, 'id'>>;

/** What these acts need of the register: its moves, each one transaction with its event and audit entry. */
export interface RegisterMoves {
  apply(id: string, action: RequestAction, by: string, to: RequestStatus, reason: string | null, patch: Patch, details?: Record<string, unknown>, also?: () => void): void;
  recordAct(id: string, by: string, action: string, reason: string | null, audit: { action: string; details: Record<string, unknown> }, also?: () => void): void;
  get(id: string): Promise<RequestDetail>;
  row(id: string): RequestRow;
}

export class AddressActs {
  constructor(
    private readonly deps: RegisterDeps,
    private readonly moves: RegisterMoves,
  ) {}

  /**
   * Records how the identity behind one address (or, without one, every address not yet checked)
   * was checked. The request is identity_verified once every address is: a person is identified
   * for each address their data is found under, or a stranger's address could be slipped in.
   * Only how and by whom: no copy of an identity document is ever kept (EDPB 01/2022). The method
   * stays on the request and its timeline (purged after the retention period), not in the append-only log.
   */
  async verifyIdentity(input: Acting<z.output<typeof VerifyIdentityInput>>): Promise<RequestDetail> {
    const { db } = this.deps;
    const at = this.deps.now().toISOString();
    const row = this.moves.row(input.id);
    const refusal = refusalOf('verify_identity', row.status, row.held_from);
    if (refusal) throw new AppError('INVALID_STATE', `Request ${input.id}: ${refusal}.`);
    const addresses = addressRows(db, input.id);
    let targets: AddressRow[];
    if (input.email !== undefined) {
      const address = await this.addressOf(addresses, input.id, input.email);
      if (address.identity_at)
        throw new AppError('INVALID_INPUT', `The identity behind ${address.masked} on ${input.id} was already checked on ${address.identity_at.slice(0, 10)} (${address.identity_by}).`);
      targets = [address];
    } else {
      targets = addresses.filter((a) => a.identity_at === null);
    }
    const reason = targets.map((a) => `${a.masked}: ${input.method}`).join('; ');
    const record = () => {
      for (const a of targets) recordAddressIdentity(db, input.id, a.subject_hash, input.method, input.by, at);
    };
    const complete = addresses.every((a) => a.identity_at !== null || targets.includes(a));
    if (complete) {
      const patch = { identity_method: input.method, identity_by: input.by, identity_at: at };
      this.moves.apply(input.id, 'verify_identity', input.by, 'identity_verified', reason, patch, { addresses: targets.length }, record);
    } else {
      const open = addresses.length - addresses.filter((a) => a.identity_at !== null).length - targets.length;
      this.moves.recordAct(input.id, input.by, 'address_verified', reason, { action: 'request.address_verified', details: { addresses: targets.length, unchecked: open } }, record);
    }
    return this.moves.get(input.id);
  }

  /**
   * Another address of the person, before the job runs (the plan covers the addresses the request
   * holds when it starts). Its identity is unchecked: a request that was identity_verified or
   * approved goes back to received, and is verified (that address) and approved again, since the
   * approval covered the addresses it was given.
   */
  async addAddress(input: Acting<z.output<typeof AddAddressInput>>, via: 'added' | 'suggestion' = 'added', also?: () => void): Promise<RequestDetail> {
    const { db } = this.deps;
    const suppression = await this.deps.suppression();
    const email = normaliseEmail(input.email);
    const hash = suppression.hashOf(email);
    const row = this.moves.row(input.id);
    if (row.status === 'on_hold') throw new AppError('INVALID_STATE', `Request ${input.id} is on hold: resume it first, then add the address.`);
    const refusal = refusalOf('add_address', row.status, row.held_from);
    if (refusal) {
      throw new AppError('INVALID_STATE', `Request ${input.id}: ${refusal}. Its job has run (or the request is closed): file a new request for ${maskEmail(email)}.`);
    }
    const addresses = addressRows(db, input.id);
    if (addresses.some((a) => a.subject_hash === hash)) throw new AppError('INVALID_INPUT', `${maskEmail(email)} is already an address of ${input.id}.`);
    if (addresses.length >= MAX_ADDRESSES) throw new AppError('INVALID_INPUT', `${input.id} already holds ${MAX_ADDRESSES} addresses, the most one request takes.`);
    const back = row.status !== 'received';
    // The note names the address only: the move (to received) and the address's `via` say the rest, in any language.
    const reason = maskEmail(email);
    const patch: Patch = back
      ? { identity_method: null, identity_by: null, identity_at: null, decision_by: null, decision_at: null, decision_reason: null, decision_ground: null, exceptions_checked_at: null }
      : {};
    this.moves.apply(input.id, 'add_address', input.by, 'received', reason, patch, { addresses: addresses.length + 1, via }, () => {
      insertAddress(db, { request_id: input.id, email: suppression.seal(email), masked: maskEmail(email), subject_hash: hash, via, added_by: input.by, added_at: this.deps.now().toISOString() });
      also?.();
    });
    return this.moves.get(input.id);
  }

  /** A name match the DPO dismissed: recorded (timeline, audit), and not offered again. Accepting goes through addAddress. */
  async dismissSuggestion(id: string, email: string, by: string): Promise<void> {
    const suppression = await this.deps.suppression();
    const normal = normaliseEmail(email);
    const masked = maskEmail(normal);
    this.moves.recordAct(id, by, 'suggestion_dismissed', masked, { action: 'request.suggestion_dismissed', details: {} }, () =>
      recordDecision(this.deps.db, id, {
        subject_hash: suppression.hashOf(normal),
        email: suppression.seal(normal),
        masked,
        state: 'dismissed',
        decided_by: by,
        decided_at: this.deps.now().toISOString(),
      }),
    );
  }

  /** Accepting a name match: the address joins the request (as addAddress) and the decision is kept. */
  async acceptSuggestion(id: string, email: string, by: string): Promise<RequestDetail> {
    const suppression = await this.deps.suppression();
    const normal = normaliseEmail(email);
    return this.addAddress({ id, email: normal, by }, 'suggestion', () =>
      recordDecision(this.deps.db, id, {
        subject_hash: suppression.hashOf(normal),
        email: suppression.seal(normal),
        masked: maskEmail(normal),
        state: 'accepted',
        decided_by: by,
        decided_at: this.deps.now().toISOString(),
      }),
    );
  }

  private async addressOf(addresses: AddressRow[], id: string, email: string): Promise<AddressRow> {
    const hash = (await this.deps.suppression()).hashOf(email);
    const address = addresses.find((a) => a.subject_hash === hash);
    if (!address) throw new AppError('INVALID_INPUT', `${maskEmail(email)} is not an address of ${id}; add it first (\`request add-address ${id} --email …\`).`);
    return address;
  }
}
