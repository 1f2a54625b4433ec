// --help, help COMMAND and --version: what a new user reads first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from './run-cli.js';

const COMMANDS = ['inspect', 'c-array', 'from-c-array'];

describe('tinyml help', function () {
  it('--version prints the package version', async function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${pkg.version}\n`);
  });

  it('--help lists every command', async function () {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: tinyml /);
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
    assert.match(stdout, /Examples:/);
  });

  for (const command of COMMANDS) {
    it(`${command} --help shows usage and examples, as does help ${command}`, async function () {
      const flag = await runCli([command, '--help']);
      assert.equal(flag.code, 0);
      assert.match(flag.stdout, new RegExp(`^Usage: tinyml ${command} \\[options\\] <`));
      assert.match(flag.stdout, new RegExp(`Examples:\\n(.*\\n)*\\s+\\$ tinyml ${command} `));
      const viaHelp = await runCli(['help', command]);
      assert.equal(viaHelp.code, 0);
      assert.equal(viaHelp.stdout, flag.stdout);
    });
  }
});
