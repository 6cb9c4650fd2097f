import type { CoreService } from '../../../shared/contract';
import { openProcessorTasks, processorTaskOf } from '../documents/processor-request/tasks';
import { createLogger } from '../log';
import { acting, type CoreParts } from './core-parts';

const log = createLogger('core');

type JobOperations = Pick<CoreService, 'planJob' | 'runJob' | 'startJob' | 'getJobStatus' | 'cancelJob' | 'listProcessorTasks' | 'updateProcessorTask'>;

/** The job of an approved request: its plan, its run (the scheduler's), and the processor tasks it leaves. */
export function jobHandlers(parts: Pick<CoreParts, 'store' | 'requests' | 'jobs' | 'scheduler' | 'operator'>): JobOperations {
  const { store, requests, jobs, scheduler } = parts;
  return {
    async planJob(input) {
      return jobs.plan(input.id);
    },
    async runJob(input) {
      return scheduler.job(input.id, parts.operator(input.by));
    },
    async startJob(input) {
      await requests.get(input.id); // an unknown ID is refused here, not in the background
      scheduler.job(input.id, parts.operator(input.by)).catch((error: unknown) => log.warn('background job ended with an error', { error }));
      return { started: true as const };
    },
    async getJobStatus(input) {
      const request = await requests.get(input.id);
      const { running, progress, error } = scheduler.jobState(input.id);
      return {
        request_id: input.id,
        running,
        progress,
        result: jobs.lastResult(request),
        error,
        processor_task: processorTaskOf(store.db, input.id),
      };
    },
    async cancelJob() {
      return { cancelled: scheduler.cancelJob() };
    },
    async listProcessorTasks() {
      return { tasks: openProcessorTasks(store.db) };
    },
    async updateProcessorTask(input) {
      return jobs.updateProcessorTask(acting(parts, input));
    },
  };
}
