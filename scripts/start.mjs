// npm start: run Node-RED with this package installed, on a user dir inside the project.
// `npm start` builds first; this script then
//   1. prepares the user dir (default .node-red/, git-ignored; TINYML_USER_DIR or --user-dir
//      choose another): a package.json that depends on this package and a symlink to it in
//      node_modules, so Node-RED lists the nodes as the package node-red-contrib-tinyml;
//   2. links Dashboard 2.0 (@flowfuse/node-red-dashboard, a devDependency) beside it, for the
//      example charts on /dashboard;
//   3. deploys the demo flows on first start (flows.json is never overwritten): inspect-and-export,
//      and hello-world-sine when the dashboard is there (its chart is a dashboard node);
//   4. runs node-red in the foreground with scripts/node-red-settings.js (127.0.0.1, PORT or
//      1880), passing signals on, and exits with its exit code.
// Every step is idempotent and needs no network.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SETTINGS_FILE = path.join(ROOT, 'scripts', 'node-red-settings.js');
const DEMO_FLOWS = ['inspect-and-export.json', 'hello-world-sine.json'];
const DASHBOARD = '@flowfuse/node-red-dashboard';
const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

function userDirFromArgs(args) {
  const i = args.indexOf('--user-dir');
  if (i >= 0) {
    if (!args[i + 1]) fail('--user-dir needs a directory');
    return args[i + 1];
  }
  return process.env.TINYML_USER_DIR || path.join(ROOT, '.node-red');
}

function checkBuilt() {
  for (const file of Object.values(PACKAGE['node-red'].nodes)) {
    if (!fs.existsSync(path.join(ROOT, file))) fail(`${file} is missing: run \`npm run build\` (npm start does)`);
  }
}

/** The user dir's package.json lists this package, as if `npm install` had put it there. */
function writeUserPackage(userDir) {
  const file = path.join(userDir, 'package.json');
  const spec = `file:${path.relative(userDir, ROOT).split(path.sep).join('/') || '.'}`;
  let pkg = { name: 'node-red-project', description: 'Node-RED user dir for npm start', version: '0.0.1', private: true };
  if (fs.existsSync(file)) {
    try {
      pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      fail(`${file}: not JSON (${err.message}); fix or delete it`);
    }
  }
  if (pkg.dependencies?.[PACKAGE.name] === spec) return;
  pkg.dependencies = { ...pkg.dependencies, [PACKAGE.name]: spec };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 4)}\n`);
}

/** node_modules/<name> -> target (a directory), unless a real copy is installed there. */
function linkModule(userDir, name, target) {
  const link = path.join(userDir, 'node_modules', ...name.split('/'));
  const modules = path.dirname(link);
  fs.mkdirSync(modules, { recursive: true });
  let existing = null;
  try {
    existing = fs.lstatSync(link);
  } catch {
    // not there yet
  }
  if (existing && !existing.isSymbolicLink()) return; // someone installed a copy: leave it
  if (existing) {
    if (path.resolve(modules, fs.readlinkSync(link)) === target) return;
    fs.unlinkSync(link);
  }
  // 'junction' lets Windows link a directory without admin rights; POSIX ignores the type.
  fs.symlinkSync(target, link, 'junction');
}

/** The dashboard's directory in the project's node_modules, or null when it is not installed. */
function dashboardDir() {
  try {
    return path.dirname(requireFromRoot.resolve(`${DASHBOARD}/package.json`));
  } catch {
    return null;
  }
}

/** Writes the demo flows on first start; the names deployed, or [] when flows.json exists. */
function deployDemoOnce(userDir, withDashboard) {
  const flows = path.join(userDir, 'flows.json');
  if (fs.existsSync(flows)) return [];
  const names = DEMO_FLOWS.filter((name) => withDashboard || name !== 'hello-world-sine.json');
  const nodes = names.flatMap((name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8')));
  fs.writeFileSync(flows, `${JSON.stringify(nodes, null, 2)}\n`);
  return names;
}

function runNodeRed(userDir) {
  const redJs = requireFromRoot.resolve('node-red/red.js');
  const child = spawn(process.execPath, [redJs, '--settings', SETTINGS_FILE, '--userDir', userDir], {
    stdio: 'inherit',
    env: process.env,
  });
  // A terminal's Ctrl-C reaches both processes; node-red stops once however often it is asked.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (err) => fail(`could not run node-red: ${err.message}`));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (os.constants.signals[signal] ?? 0);
  });
}

const userDir = path.resolve(userDirFromArgs(process.argv.slice(2)));
checkBuilt();
fs.mkdirSync(userDir, { recursive: true });
writeUserPackage(userDir);
linkModule(userDir, PACKAGE.name, ROOT);
const dashboard = dashboardDir();
if (dashboard) linkModule(userDir, DASHBOARD, dashboard);
else console.log(`start: ${DASHBOARD} is not installed (npm install adds it): no charts on /dashboard`);
const deployed = deployDemoOnce(userDir, dashboard !== null);
if (deployed.length) console.log(`start: deployed ${deployed.join(' and ')} to ${path.join(userDir, 'flows.json')}`);
const base = `http://127.0.0.1:${Number(process.env.PORT) || 1880}`;
console.log(`start: Node-RED with ${PACKAGE.name} on ${base}/${dashboard ? `, charts on ${base}/dashboard` : ''} (user dir ${userDir})`);
runNodeRed(userDir);
