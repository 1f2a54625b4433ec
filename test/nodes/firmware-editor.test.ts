// The firmware node's edit dialog in the real editor (scripts/start.mjs, Debian's Chromium): bad
// values are drawn red, and the TFLM choice follows the board chosen in the dialog.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from './helpers.js';

const PORT = 18000 + (process.pid % 1000);
const FLOW = [
  { id: 't1', type: 'tab', label: 'firmware' },
  { id: 'good', type: 'tinyml-firmware', z: 't1', name: '', model: '', board: 'pico', kind: 'tflm', project: 'hello', folder: 'firmware/hello', x: 200, y: 100, wires: [[]] },
  { id: 'bad', type: 'tinyml-firmware', z: 't1', name: '', model: '', board: 'uno', kind: 'tflm', project: 'bad-name', folder: '../out', x: 200, y: 200, wires: [[]] },
];

/** [board, kind, which fields are drawn red] in the open dialog. */
function dialogState(page: Page): Promise<[string, string, string[]]> {
  return page.evaluate(() => {
    const $ = (window as unknown as { $: (s: string) => { val(): string; hasClass(c: string): boolean } }).$;
    const red = ['board', 'kind', 'project', 'folder'].filter((f) => $(`#node-input-${f}`).hasClass('input-error'));
    return [$('#node-input-board').val(), $('#node-input-kind').val(), red] as [string, string, string[]];
  });
}

/** Types into a field as a user does: the editor validates on change and keyup. */
async function typeInto(page: Page, field: string, text: string): Promise<void> {
  await page.fill(`#node-input-${field}`, text);
  await page.dispatchEvent(`#node-input-${field}`, 'change');
}

async function openDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((node) => {
    const RED = (window as unknown as { RED: { editor: { edit(n: unknown): void }; nodes: { node(id: string): unknown } } }).RED;
    RED.editor.edit(RED.nodes.node(node));
  }, id);
  await page.waitForSelector('#node-input-folder', { state: 'visible' });
}

describe('nodes/firmware: the edit dialog in the editor', function () {
  this.timeout(60000);
  let userDir: string;
  let child: ChildProcess | null = null;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    userDir = tempDir('fw-editor');
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(FLOW));
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.mjs')], {
      env: { ...process.env, PORT: String(PORT), TINYML_USER_DIR: userDir },
      detached: true,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('Node-RED did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  after(async function () {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.on('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('draws bad values red, and offers TFLM only for 32-bit boards', async function () {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`http://127.0.0.1:${PORT}/`, { waitUntil: 'load' });
      await page.waitForSelector('#red-ui-workspace-chart .red-ui-flow-node');
      // The node with bad values is flagged on the canvas (the editor's red triangle).
      assert.equal(await page.locator('#bad .red-ui-flow-node-error:not(.hide)').count(), 1);
      assert.equal(await page.locator('#good .red-ui-flow-node-error:not(.hide)').count(), 0);

      await openDialog(page, 'good');
      assert.deepEqual(await dialogState(page), ['pico', 'tflm', []]);
      await typeInto(page, 'project', '2fast');
      await typeInto(page, 'folder', 'a/../../x');
      assert.deepEqual((await dialogState(page))[2], ['project', 'folder']);
      await typeInto(page, 'project', 'fast_2');
      await typeInto(page, 'folder', '/srv/firmware');
      assert.deepEqual((await dialogState(page))[2], []);
      // An 8-bit board: TFLM is switched off and cannot be chosen.
      await page.selectOption('#node-input-board', 'uno');
      assert.deepEqual(await dialogState(page), ['uno', 'runtime', []]);
      assert.equal(await page.locator('#node-input-kind option[value="tflm"]').isDisabled(), true);
      await page.selectOption('#node-input-board', 'esp32');
      assert.equal(await page.locator('#node-input-kind option[value="tflm"]').isDisabled(), false);
    } finally {
      await browser.close();
    }
  });
});
