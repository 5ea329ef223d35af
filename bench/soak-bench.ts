// Main-process memory over a soak of demo traffic. Three processes, as in production: the lab PBX
// (`sim --demo`), the desktop services compiled to JavaScript (`node dist/main/cli/index.js start
// --web --lab-port N`, the process whose RSS is measured from outside), and Chromium running the
// renderer, in which a small script plays the agent: it answers what rings, hangs up after a
// while and goes back to ready after wrap-up, so every call flows through the whole path.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../e2e/harness.js';
import { buildAppShell } from '../main/cli/electron-runtime.js';

const root = resolve(import.meta.dirname, '..');

async function firstLine(child: ChildProcess, match: (l: string) => boolean, what: string): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (match(line)) return line;
  throw new Error(`${what}: the process ended first`);
}

async function startLabProcess(intervalMs: number): Promise<{ child: ChildProcess; telPort: number; controlPort: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli/index.ts'), 'sim', '--vendor', 'telservices', '--port-base', '0', '--demo', '--demo-interval', String(intervalMs)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let telPort = 0;
  let controlPort = 0;
  await firstLine(
    child,
    (line) => {
      const e = JSON.parse(line) as { event: string; vendor?: string; transport?: string; port?: number };
      if (e.event === 'listening' && e.vendor === 'telservices' && e.transport === 'tcp') telPort = e.port ?? 0;
      if (e.event === 'listening' && e.transport === 'control') controlPort = e.port ?? 0;
      return e.event === 'ready';
    },
    'lab PBX',
  );
  return { child, telPort, controlPort };
}

/** Resident memory, and on Linux its anonymous part (heap, stacks: what a leak grows). */
function rssBytes(pid: number): { rss: number; anon: number } {
  if (process.platform === 'linux') {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon') };
  }
  const rss = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)]).stdout.toString().trim()) * 1024;
  return { rss, anon: rss };
}

/** The agent, played in the page: answer, talk 2–8 s, hang up, ready again after wrap-up. */
const agentScript = `(() => {
  const q = (s) => document.querySelector(s);
  const talking = new Map();
  window.__answered = 0;
  setInterval(() => {
    const logon = q('[data-testid="agent-set-loggedOn"]');
    if (logon) return logon.click();
    const state = q('[data-testid="agent-state"]')?.getAttribute('data-state');
    if ((state === 'loggedOn' || state === 'wrapUp' || state === 'notReady') && !q('[data-testid="call-row"]')) {
      q('[data-testid="agent-set-ready"]')?.click();
    }
    for (const row of document.querySelectorAll('[data-testid="call-row"]')) {
      const id = row.getAttribute('data-call-id');
      const answer = row.querySelector('[data-testid="call-action-answer"]');
      if (answer) { answer.click(); window.__answered += 1; talking.set(id, Date.now() + 2000 + Math.random() * 6000); continue; }
      const until = talking.get(id);
      if (until && Date.now() > until) { row.querySelector('[data-testid="call-action-clear"]')?.click(); talking.delete(id); }
    }
  }, 300);
})()`;

export async function runSoakBench(opts: { seconds: number; demoIntervalMs: number }) {
  if (!buildAppShell(root)) throw new Error('could not build the main process');
  const lab = await startLabProcess(opts.demoIntervalMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-soak-'));
  // BENCH_TRACE_GC=1 prints the desktop process's garbage collections (heap after each major GC
  // tells a leak from a heap that has not settled yet).
  const gcFlags = [...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const desktop = spawn(process.execPath, [...gcFlags, join(root, 'dist/main/cli/index.js'), 'start', '--web', '--lab-port', String(lab.telPort), '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CI: 'true' },
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    const running = await firstLine(desktop, (l) => l.startsWith('Agent Desktop is running'), 'desktop');
    // Keep reading (and, when tracing, keep) the rest, so the child never blocks on a full pipe.
    const gcLines: string[] = [];
    desktop.stdout!.on('data', (d: Buffer) => {
      if (process.env.BENCH_TRACE_GC) gcLines.push(...d.toString().split('\n').filter((l) => l.includes('Mark-Compact')));
    });
    desktop.stdout!.resume();
    const url = /Open (\S+)/.exec(running)?.[1];
    if (!url) throw new Error('the desktop printed no URL');
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 20_000 });
    await page.evaluate(agentScript);
    const all: { rss: number; anon: number }[] = [];
    const started = Date.now();
    while (Date.now() - started < opts.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      all.push(rssBytes(desktop.pid as number));
    }
    const samples = all.map((x) => x.rss);
    // The curve, one point per tenth of the run: a plateau is settling, a slope is a leak.
    const curve = Array.from({ length: 10 }, (_, i) => all[Math.min(all.length - 1, Math.floor(((i + 1) * all.length) / 10) - 1)]).map(
      (x) => `${((x?.rss ?? 0) / 2 ** 20).toFixed(0)}/${((x?.anon ?? 0) / 2 ** 20).toFixed(0)}`,
    );
    console.log(`RSS/anonymous MB at each tenth of the soak: ${curve.join(' ')}`);
    const answered = (await page.evaluate('window.__answered')) as number;
    // Growth is judged after a warm-up (the first 20 %), comparing the first and last tenths.
    const mb = (b: number) => b / (1024 * 1024);
    const after = samples.slice(Math.floor(samples.length * 0.2));
    const tenth = Math.max(1, Math.floor(after.length * 0.1));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const startRss = mb(avg(after.slice(0, tenth)));
    const endRss = mb(avg(after.slice(-tenth)));
    if (gcLines.length) console.log(`major GCs of the desktop process (heap before -> after, MB):\n${gcLines.map((l) => l.replace(/^.*Mark-Compact(?: \(reduce\))? /, '  ')).join('\n')}`);
    return { seconds: opts.seconds, answered, rssStartMb: startRss, rssEndMb: endRss, rssMaxMb: mb(Math.max(...samples)), growthPct: ((endRss - startRss) / startRss) * 100 };
  } finally {
    await browser.close();
    desktop.kill('SIGTERM');
    lab.child.kill('SIGTERM');
    await new Promise((r) => desktop.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
