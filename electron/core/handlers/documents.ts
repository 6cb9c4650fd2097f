import type { CoreService } from '../../../shared/contract';
import { readDocument } from '../documents/read-document';
import { acting, type CoreParts } from './core-parts';

type DocumentOperations = Pick<CoreService, 'writeEvidence' | 'writeReplyLetter' | 'writeProcessorRequest' | 'writeSubjectPackage' | 'writeReport' | 'readDocument' | 'subjectHash'>;

/** The documents a request gives rise to, the register report, and reading back what the app wrote. */
export function documentHandlers(parts: Pick<CoreParts, 'documents' | 'dataDir' | 'suppression' | 'onDocumentProgress' | 'operator'>): DocumentOperations {
  const { documents, onDocumentProgress } = parts;
  return {
    async writeEvidence(input) {
      return documents.evidence(input.id, acting(parts, input), onDocumentProgress);
    },
    async writeReplyLetter(input) {
      return documents.letter(input.id, acting(parts, input));
    },
    async writeProcessorRequest(input) {
      return documents.processorRequest(input.id, acting(parts, input));
    },
    async writeSubjectPackage(input) {
      return documents.subjectPackage(input.id, acting(parts, input), onDocumentProgress);
    },
    async writeReport(input) {
      return documents.report(input.from, input.to, acting(parts, input), input.format, onDocumentProgress);
    },
    async readDocument(input) {
      return readDocument(parts.dataDir, input.path);
    },
    async subjectHash(input) {
      return { hash: (await parts.suppression()).hashOf(input.email) };
    },
  };
}
