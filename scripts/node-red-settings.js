// Node-RED settings for `npm start` (scripts/start.mjs passes this file and the user dir).
// A local playground: the editor listens on this machine only and no admin login is set up,
// so do not expose it (set uiHost to 0.0.0.0) without adding adminAuth.
module.exports = {
  uiHost: '127.0.0.1',
  uiPort: Number(process.env.PORT) || 1880,
  // Relative to the user dir.
  flowFile: 'flows.json',
  flowFilePretty: true,

  editorTheme: {
    projects: { enabled: false },
    // The welcome tour covers Node-RED itself; the demo flow's comment node explains ours.
    tours: false,
    palette: { categories: { order: ['subflows', 'tinyml', 'common', 'function', 'network', 'sequence', 'parser', 'storage'] } },
  },

  // No update checks: starting the demo needs no network.
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: true, ui: true },
  runtimeState: { enabled: false, ui: false },

  logging: { console: { level: 'info', metrics: false, audit: false } },
  exportGlobalContextKeys: false,
  externalModules: {},
  debugMaxLength: 1000,
  functionTimeout: 0,
};
