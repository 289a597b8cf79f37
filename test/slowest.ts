import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after a run, the ten test files that took longest (their tests and hooks, plus their
 * import): a regression in the suite's time is seen where it happens.
 */
export default class SlowestFiles implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const rows = testModules
      .map((m) => {
        const d = m.diagnostic();
        return { file: `${m.project.name} ${m.relativeModuleId}`, ms: d.duration + d.collectDuration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (!rows.length) return;
    const lines = rows.map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}`);
    process.stdout.write(`\nSlowest test files (tests, hooks and import):\n${lines.join('\n')}\n`);
  }
}
