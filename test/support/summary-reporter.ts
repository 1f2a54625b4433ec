// Mocha's spec output plus the plain closing line CI reads: "N passed, N failed".
import Mocha from 'mocha';

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on('pass', () => { passed++; });
    runner.on('fail', () => { failed++; });
    runner.once('end', () => {
      const skipped = runner.stats?.pending ?? 0;
      process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    });
  }
}

export = SummaryReporter;
