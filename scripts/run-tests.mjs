// `npm test`: every layer in one run, ending with one plain line counting them all:
// "N passed, N failed, N skipped". Exits non-zero when anything failed or nothing ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--project='))?.slice('--project='.length);
const tally = { passed: 0, failed: 0, skipped: 0 };
const layers = [];

function run(name, cmd, cmdArgs, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' }, ...opts });
  const ok = r.status === 0;
  layers.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

function check(name, cmd, cmdArgs) {
  console.log(`\n=== ${name}`);
  const ok = run(name, cmd, cmdArgs);
  if (ok) tally.passed += 1;
  else tally.failed += 1;
}

if (!only) {
  check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  check('typecheck (Electron shell)', 'npx', ['tsc', '-p', 'tsconfig.app.json', '--noEmit']);
  check('lint (incl. layering)', 'npx', ['eslint', '.', '--max-warnings=0']);
  check('renderer build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
}

const out = join(mkdtempSync(join(tmpdir(), 'agent-desktop-tests-')), 'vitest.json');
console.log('\n=== tests (unit, integration, e2e)');
const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
if (only) vitestArgs.push('--project', only);
const vitestOk = run('vitest', 'npx', vitestArgs);
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  tally.passed += report.numPassedTests ?? 0;
  tally.failed += report.numFailedTests ?? 0;
  tally.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count: count it as a failure.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) tally.failed += 1;
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') console.log(`skipped: ${t.fullName}`);
    }
  }
} else {
  tally.failed += 1;
}
if (!vitestOk && tally.failed === 0) tally.failed += 1;

console.log('\nLayers:');
for (const l of layers) console.log(`  ${l.ok ? 'ok  ' : 'FAIL'} ${l.name} (${l.seconds.toFixed(1)} s)`);
const total = tally.passed + tally.failed + tally.skipped;
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed > 0 || total === 0 || tally.passed === 0 ? 1 : 0);
