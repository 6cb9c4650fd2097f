import type { CoreService } from '../../../shared/contract';
import { acting, type CoreParts } from './core-parts';

type RequestOperations = Pick<
  CoreService,
  | 'createRequest'
  | 'listRequests'
  | 'findOpenRequests'
  | 'getRequest'
  | 'verifyIdentity'
  | 'approveRequest'
  | 'refuseRequest'
  | 'extendRequest'
  | 'holdRequest'
  | 'resumeRequest'
  | 'rectifyRequest'
  | 'addRequestNote'
  | 'recordReplySent'
  | 'addRequestAddress'
  | 'listSuggestions'
  | 'decideSuggestion'
>;

/** The request register: each act under the name of whoever acts. */
export function requestHandlers(parts: Pick<CoreParts, 'requests' | 'suggestions' | 'operator'>): RequestOperations {
  const { requests, suggestions } = parts;
  return {
    async createRequest({ by, ...input }) {
      return requests.create(input, parts.operator(by));
    },
    async listRequests(input) {
      return { requests: requests.list(input.status) };
    },
    async findOpenRequests(input) {
      return { requests: await requests.openFor(input.email) };
    },
    async getRequest(input) {
      return requests.get(input.id);
    },
    async verifyIdentity(input) {
      return requests.verifyIdentity(acting(parts, input));
    },
    async approveRequest(input) {
      return requests.approve(acting(parts, input));
    },
    async refuseRequest(input) {
      return requests.refuse(acting(parts, input));
    },
    async extendRequest(input) {
      return requests.extend(acting(parts, input));
    },
    async holdRequest(input) {
      return requests.hold(acting(parts, input));
    },
    async resumeRequest(input) {
      return requests.resume(acting(parts, input));
    },
    async rectifyRequest(input) {
      return requests.rectify(acting(parts, input));
    },
    async addRequestNote(input) {
      return requests.note(acting(parts, input));
    },
    async recordReplySent(input) {
      return requests.replySent(acting(parts, input));
    },
    async addRequestAddress(input) {
      return requests.addAddress(acting(parts, input));
    },
    async listSuggestions(input) {
      return suggestions.list(input.id);
    },
    async decideSuggestion(input) {
      const { id, email, decision, by } = acting(parts, input);
      return suggestions.decide(id, email, decision, by);
    },
  };
}
