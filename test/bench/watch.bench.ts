import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { tempDataDir } from '../helpers';
import { liveCore, reconciliations, startWatch } from '../live/live-helpers';

// `dsr-desk watch` left running under a steady stream of events (issue 12): its resident memory at
// the start and at the end, sampled every 10 s. DSR_DESK_SOAK_MINUTES shortens the run (default 10).

const MINUTES = Number(process.env.DSR_DESK_SOAK_MINUTES ?? 10);
/** One registration (and every third one cancelled by the registrant, every fifth by a host) this often. */
const EVERY_MS = 100;
/**
 * Flat: from the end of the warm-up to the end, the resident memory rises less than FLAT_MIB, and
 * the JavaScript heap's lowest point moves less than FLAT_MIB between the first and the second half
 * (see below). The warm-up is where the process settles: V8 sizes its heap to the event rate and
 * the watch's page cache (2 MiB) fills, both within about two minutes (a leak keeps rising after that).
 */
const FLAT_MIB = 5;
const WARM_UP_MS = Math.min(180_000, (MINUTES * 60_000) / 3);

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('watch, left running', () => {
  it(
    `keeps its memory flat for ${MINUTES} minutes under a steady stream of events`,
    async () => {
      const box = await sandbox({ seed: 'empty', plan: 'business' });
      const { id: webinarId } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Soak' });
      const dataDir = tempDataDir();
      const core = await liveCore(box, dataDir);
      await call(core, 'syncZoom', {});
      await core.close();
      const watch = startWatch(dataDir, { ...process.env, DSR_DESK_LOG: 'debug' });
      const pid = watch.process.pid!;
      await watch.waitFor(() => reconciliations(watch) >= 1 || undefined, 60_000, 'the first reconciliation');

      let n = 0;
      const act = async () => {
        const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', {
          webinar_id: webinarId,
          email: `soak${n}@example.org`,
          first_name: `Soak${n}`,
          last_name: 'Tester',
          city: 'Somewhere',
        });
        if (n % 3 === 0) await control(box, 'POST', 'self-cancel', { webinar_id: webinarId, registrant_id: id });
        else if (n % 5 === 0) await control(box, 'POST', 'host-action', { webinar_id: webinarId, registrant_id: id, action: 'cancel' });
        n++;
      };
      // Events before the first sample: the process's heap and caches settle first.
      const warmUpUntil = Date.now() + WARM_UP_MS;
      while (Date.now() < warmUpUntil) await Promise.all([act(), new Promise((resolve) => setTimeout(resolve, EVERY_MS))]);
      const samples: number[] = [rssMiB(pid)];
      const changesAtStart = watch.changes.length;
      const endAt = Date.now() + MINUTES * 60_000;
      let nextSample = Date.now() + 10_000;
      while (Date.now() < endAt) {
        await Promise.all([act(), new Promise((resolve) => setTimeout(resolve, EVERY_MS))]);
        if (Date.now() >= nextSample) {
          samples.push(rssMiB(pid));
          nextSample += 10_000;
        }
      }
      await watch.waitFor(() => (watch.changes.length >= changesAtStart ? true : undefined));
      samples.push(rssMiB(pid));
      const events = watch.changes.length - changesAtStart;
      expect(await watch.stop()).toBe(0);

      const [start, end, peak] = [samples[0]!, samples.at(-1)!, Math.max(...samples)];
      const half = samples[Math.floor(samples.length / 2)]!;
      // The watch's own once-a-minute memory lines (debug log): its heap, which a leak would grow.
      const heap = watch
        .stderr()
        .split('\n')
        .filter((line) => line.includes('"message":"memory"'))
        .map((line) => (JSON.parse(line) as { heap_used_mib: number }).heap_used_mib);
      // The heap saws up and down between collections: a leak lifts its lowest point, so the lowest of
      // the first and of the second half after the warm-up are compared.
      const measured = heap.slice(Math.round(WARM_UP_MS / 60_000));
      const middle = Math.ceil(measured.length / 2);
      const heapGrowth = measured.length >= 2 ? Math.min(...measured.slice(middle)) - Math.min(...measured.slice(0, middle)) : NaN;
      const flat = end - start < FLAT_MIB && Math.abs(heapGrowth) < FLAT_MIB;
      console.log(
        [
          `watch for ${MINUTES} min under ${Math.round(1000 / EVERY_MS)} registrations/s (a third self-cancelled, a fifth host-cancelled): ${events} changes applied after warm-up`,
          `RSS at start ${start.toFixed(1)} MiB, half way ${half.toFixed(1)} MiB, at end ${end.toFixed(1)} MiB (${end - start >= 0 ? '+' : ''}${(end - start).toFixed(1)} MiB in all, ${(end - half).toFixed(1)} MiB over the second half), peak ${peak.toFixed(1)} MiB, ${samples.length} samples`,
          `RSS each minute (MiB): ${samples
            .filter((_, i) => i % 6 === 0)
            .map((v) => v.toFixed(0))
            .join(' ')}`,
          `JavaScript heap in use (the watch's own log, each minute, MiB): ${heap.map((v) => v.toFixed(1)).join(' ')}; its lowest point after the warm-up, second half against first: ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MiB`,
          `goal: flat after a ${WARM_UP_MS / 60_000}-minute warm-up (RSS up less than ${FLAT_MIB} MiB from start to end, heap within ${FLAT_MIB} MiB): ${flat ? 'met' : 'NOT met'}`,
        ].join('\n'),
      );
      if (process.env.DSR_DESK_SOAK_LOG)
        fs.writeFileSync(
          process.env.DSR_DESK_SOAK_LOG,
          watch
            .stderr()
            .split('\n')
            .filter((line) => line.includes('"message":"memory"'))
            .join('\n'),
        );
      expect(flat).toBe(true);
    },
    (MINUTES + 8) * 60_000,
  );
});
