import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { launchChromium } from '../chromium';
import { CLI, runCliAsync, tempDataDir } from '../helpers';

// The desk at 100,000 registrants in one webinar, measured in Debian's Chromium with the
// Performance API: from a filter keystroke to the new rows painted, and every frame of a scroll
// from the first row to the last. Printed figures, goals marked; not part of `npm test`.

const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

async function bigWebinarSandbox(): Promise<Record<string, string>> {
  const child = spawn(process.execPath, [CLI, '--json', 'sandbox', '--port', '0', '--seed', 'large', '--webinars', '1', '--registrants', '100000', '--plan', 'business']);
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (data) => resolve(JSON.parse(String(data))));
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
}

describe('the desk at 100,000 registrants in one webinar', () => {
  it('filters in under 100 ms a keystroke and scrolls top to bottom in frames under 50 ms, with under 200 rows in the page', async () => {
    const details = await bigWebinarSandbox();
    const dataDir = tempDataDir();
    const setup = await openCore({ dataDir });
    expect((await setup.dispatch('connectZoom', details)).ok).toBe(true);
    await setup.service.updateSettings({ zoom_plan: 'business', operator: 'Bench', ui_language: 'en' });
    await setup.close();
    const sync = await runCliAsync(['--json', '--data-dir', dataDir, 'sync']);
    expect(sync.code).toBe(0);
    expect((sync.json as { registrants: number }).registrants).toBe(100_000);

    // The core alone, without HTTP and the page: one call as the window makes it per keystroke.
    const core = await openCore({ dataDir });
    const webinarId = (await core.service.listWebinars({})).webinars[0]!.id;
    for (const search of ['s', 'sven', 'm']) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await core.service.listRegistrants({ webinar_id: webinarId, status: 'all', search, sort: 'create_time', order: 'asc', limit: 100, offset: 0, with_total: true });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(`  core: listRegistrants(search "${search}") median ${times[3]!.toFixed(1)} ms, worst ${times[6]!.toFixed(1)} ms`);
    }
    await core.close();

    // Then as a user runs it: `dsr-desk serve` in a process of its own, and Debian's Chromium.
    const serve = spawn(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'serve', '--port', '0']);
    children.push(serve);
    serve.stderr!.resume();
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      serve.stdout!.once('data', (data) => resolve(JSON.parse(String(data))));
      serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const browser = await launchChromium();
    const desk = { door: { url }, close: () => browser.close() };
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(desk.door.url);
      await page.goto(`${new URL(desk.door.url).origin}/#/mirror/${webinarId}`);
      await page.getByTestId('registrant-total').getByText('100,000 registrants').waitFor({ timeout: 30_000 });
      await page.getByTestId('registrant-row').first().getByRole('button').waitFor();

      // Keystroke → rows of the new filter painted: keydown time, then the first frame after tbody shows the new query.
      await page.evaluate(() => {
        const w = window as unknown as { keyAt: number; paintedAt: number; watch: MutationObserver };
        const tbody = document.querySelector('[data-testid="registrant-rows"]')!;
        window.addEventListener('keydown', () => (w.keyAt = performance.now()), true);
        w.watch = new MutationObserver(() => requestAnimationFrame(() => (w.paintedAt = performance.now())));
        w.watch.observe(tbody, { attributes: true, attributeFilter: ['data-query'] });
      });
      // What the screen asked for on opening has been answered before the person types.
      await page.waitForTimeout(1000);
      const inFlight = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${e.name.split('/').pop()} ${e.duration.toFixed(0)} ms`));
      console.log(`  calls on opening the screen: ${inFlight.join(', ')}`);
      await page.evaluate(() => performance.clearResourceTimings());
      await page.getByTestId('registrant-search').focus();
      const keystrokes: { key: string; ms: number; fetchMs: number; beforeMs: number; afterMs: number; rows: string }[] = [];
      for (const key of ['s', 'v', 'e', 'n', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'm', 'i', 'a']) {
        const before = await page.getByTestId('registrant-rows').getAttribute('data-query');
        await page.evaluate(() => ((window as unknown as { paintedAt: number }).paintedAt = 0));
        await page.keyboard.press(key);
        await page.waitForFunction(
          (old) => document.querySelector('[data-testid="registrant-rows"]')!.getAttribute('data-query') !== old && (window as unknown as { paintedAt: number }).paintedAt > 0,
          before,
        );
        const { ms, fetchMs, beforeMs, afterMs } = await page.evaluate(() => {
          const w = window as unknown as { keyAt: number; paintedAt: number };
          // The core's share: the last listRegistrants call's round trip, as the browser timed it.
          const calls = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/listRegistrants')) as PerformanceResourceTiming[];
          const call = calls[calls.length - 1]!;
          performance.clearResourceTimings();
          return { ms: w.paintedAt - w.keyAt, fetchMs: call.responseEnd - call.startTime, beforeMs: call.startTime - w.keyAt, afterMs: w.paintedAt - call.responseEnd };
        });
        keystrokes.push({ key, ms, fetchMs, beforeMs, afterMs, rows: (await page.getByTestId('registrant-total').textContent())! });
      }
      for (const k of keystrokes)
        console.log(
          `  keystroke ${k.key.padEnd(9)} → painted in ${k.ms.toFixed(1)} ms, of which: to the call ${k.beforeMs.toFixed(1)} ms, the core's answer ${k.fetchMs.toFixed(1)} ms, to the painted rows ${k.afterMs.toFixed(1)} ms (${k.rows})`,
        );
      const worstKey = Math.max(...keystrokes.map((k) => k.ms));
      const sortedKeys = keystrokes.map((k) => k.ms).sort((a, b) => a - b);
      console.log(
        `filter keystroke to painted rows: median ${sortedKeys[Math.floor(sortedKeys.length / 2)]!.toFixed(1)} ms, worst ${worstKey.toFixed(1)} ms (goal < 100 ms: ${worstKey < 100 ? 'met' : 'NOT met'})`,
      );

      // Back to all rows, then scroll from top to bottom, one step per frame, timing every frame.
      await page.getByTestId('registrant-search').fill('');
      await page.getByTestId('registrant-total').getByText('100,000 registrants').waitFor();
      const scroll = await page.evaluate(async () => {
        const scroller = document.querySelector<HTMLElement>('[data-testid="registrant-scroller"]')!;
        const rows = () => document.querySelectorAll('tbody[data-testid="registrant-rows"] tr').length;
        const long: number[] = [];
        const detail: string[] = [];
        const observer = new PerformanceObserver((list) =>
          list.getEntries().forEach((e) => {
            long.push(e.duration);
            const frame = e as PerformanceEntry & { blockingDuration?: number; renderStart?: number; styleAndLayoutStart?: number; scripts?: { invoker: string; duration: number }[] };
            const scripts = (frame.scripts ?? []).map((script) => `${script.invoker} ${script.duration.toFixed(0)} ms`).join(', ');
            detail.push(
              `${e.duration.toFixed(0)} ms: render ${((frame.styleAndLayoutStart ?? 0) - (frame.renderStart ?? 0)).toFixed(0)} ms, style+layout ${(e.startTime + e.duration - (frame.styleAndLayoutStart ?? 0)).toFixed(0)} ms, scripts [${scripts}]`,
            );
          }),
        );
        const loaf = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
        // TypeScript's DOM types don't list long-animation-frame yet; Chromium has it since 123.
        observer.observe({ type: (loaf ? 'long-animation-frame' : 'longtask') as 'longtask', buffered: false });
        const frames: number[] = [];
        let most = rows();
        const steps = 400;
        const total = scroller.scrollHeight - scroller.clientHeight;
        let last = performance.now();
        for (let i = 1; i <= steps; i++) {
          scroller.scrollTop = Math.round((total * i) / steps);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const now = performance.now();
          frames.push(now - last);
          last = now;
          most = Math.max(most, rows());
        }
        // How long the last rows take to arrive once the scroll stops.
        const stoppedAt = performance.now();
        while (!document.querySelector('[aria-rowindex="100001"]')?.textContent?.includes('@') && performance.now() - stoppedAt < 20000) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        const lastRowMs = performance.now() - stoppedAt;
        observer.disconnect();
        const worstAt = frames.indexOf(Math.max(...frames));
        frames.sort((a, b) => a - b);
        return {
          worstAt,
          frames: frames.length,
          median: frames[Math.floor(frames.length / 2)]!,
          p95: frames[Math.floor(frames.length * 0.95)]!,
          worst: frames[frames.length - 1]!,
          longFrames: long.length,
          detail,
          worstLong: long.length ? Math.max(...long) : 0,
          kind: loaf ? 'long-animation-frame' : 'longtask',
          mostRows: Math.max(most, rows()),
          lastRow: document.querySelector('[aria-rowindex="100001"]')?.textContent ?? '',
          lastRowMs,
          // The element scrolled is the one the table still shows: a table thrown away and made anew
          // mid-scroll would leave it detached (scrollHeight 0), and its figures would be of nothing.
          sameScroller: document.querySelector('[data-testid="registrant-scroller"]') === scroller && scroller.isConnected && scroller.scrollHeight > 0,
          bottomRows: [...document.querySelectorAll('tbody[data-testid="registrant-rows"] tr[aria-rowindex]')]
            .slice(-3)
            .map((tr) => `${tr.getAttribute('aria-rowindex')}: ${tr.textContent?.slice(0, 40)}`),
        };
      });
      console.log(
        `scroll top to bottom in ${scroll.frames} frames: frame time median ${scroll.median.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms, worst ${scroll.worst.toFixed(1)} ms at frame ${scroll.worstAt + 1} (goal every frame < 50 ms: ${scroll.worst < 50 ? 'met' : 'NOT met'}); ` +
          `${scroll.kind} entries over 50 ms: ${scroll.longFrames}${scroll.longFrames ? ` (worst ${scroll.worstLong.toFixed(0)} ms)` : ''}`,
      );
      for (const line of scroll.detail) console.log(`  long frame ${line}`);
      console.log(`  bottom rows: ${scroll.bottomRows.join(' | ')}`);
      console.log(
        `rows in the page at most: ${scroll.mostRows} (goal < 200: ${scroll.mostRows < 200 ? 'met' : 'NOT met'}); the last row painted ${scroll.lastRow.includes('@') ? `${scroll.lastRowMs.toFixed(0)} ms after the scroll stopped` : 'NOT within 20 s'} (goal < 1 s); ` +
          `the same scroll element throughout: ${scroll.sameScroller ? 'yes' : 'NO'}`,
      );
      expect(scroll.sameScroller).toBe(true);
      expect(scroll.lastRow).toContain('@');
      expect(scroll.lastRowMs).toBeLessThan(1000);
      expect(scroll.mostRows).toBeLessThan(200);
      expect.soft(worstKey).toBeLessThan(100);
      expect.soft(scroll.worst).toBeLessThan(50);
    } finally {
      await desk.close();
    }
  });
});
