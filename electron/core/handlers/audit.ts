import fs from 'node:fs';
import path from 'node:path';
import type { CoreService } from '../../../shared/contract';
import { pathInDataFolder } from '../data-folder';
import { fileStamp } from '../files';
import type { CoreParts } from './core-parts';

type AuditOperations = Pick<CoreService, 'listAudit' | 'verifyAudit' | 'exportAuditLog'>;

/** The audit log: read a page, verify the chain against its anchor, export it into the data folder's documents/audit/. */
export function auditHandlers({ audit, dataDir, now }: Pick<CoreParts, 'audit' | 'dataDir' | 'now'>): AuditOperations {
  return {
    async listAudit(input) {
      return audit.list(input);
    },
    async verifyAudit() {
      return audit.verify();
    },
    async exportAuditLog() {
      const dir = pathInDataFolder(dataDir, 'documents', 'audit');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      return audit.exportTo(path.join(dir, `audit-log-${fileStamp(now())}.jsonl`), false);
    },
  };
}
