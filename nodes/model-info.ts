// model info: msg in (a .tflite in msg.payload, or the configured model) -> the inspect report.
import { findBoard, type BoardProfile } from '../lib/deploy/boards/index.js';
import { inspect } from '../lib/inspect/index.js';
import type { InspectReport } from '../lib/inspect/report.js';
import { formatBytes, modelFor, onModelMessage, useModelConfig } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef } from './types.js';

interface ModelInfoDef extends NodeDef {
  /** id of a tinyml-model config node; empty when models only arrive in msg.payload. */
  model?: string;
  /** Board profile id (lib/deploy/boards) to check the model against; empty for none. */
  board?: string;
}

/** 'fits Uno' / 'too big for Uno', when a board is chosen. */
function boardStatus(report: InspectReport): string {
  const fit = report.board;
  if (fit === undefined) return '';
  const short = findBoard(fit.board).shortName;
  return fit.fits ? ` · fits ${short}` : ` · too big for ${short}`;
}

/** "3 ops · 2.7 kB · 32 B RAM · 288 MACs": what a user checks first against a board's budget. */
function summaryOf(report: InspectReport, byteLength: number): string {
  const ops = report.ops.operators.length;
  const flash = formatBytes(report.model.flashBytes ?? byteLength);
  const ram = report.model.arenaBytes === null ? '' : ` · ${formatBytes(report.model.arenaBytes)} RAM`;
  return `${ops} op${ops === 1 ? '' : 's'} · ${flash}${ram} · ${report.macs.total.toLocaleString('en-US')} MACs${boardStatus(report)}`;
}

export = function register(RED: NodeAPI): void {
  function ModelInfoNode(this: Node, def: ModelInfoDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);
    let board: BoardProfile | undefined;
    try {
      board = def.board ? findBoard(def.board) : undefined;
    } catch (err) {
      // A flow saved with a board this version does not know: report it, describe without one.
      node.error(err instanceof Error ? err.message : String(err));
    }

    onModelMessage(node, (msg) => {
      const input = modelFor(msg, config);
      const report = inspect(input.model, { byteLength: input.bytes.length, board });
      msg.payload = report;
      // Only the path travels with the message: the Model itself is large, and Node-RED
      // clones a message for every extra wire.
      if (input.path) msg.modelPath = input.path;
      // Yellow: the model is fine, but TFLM would refuse it (report.tflm.problems says why) or
      // it is too big for the chosen board (report.board.message).
      const fill = report.tflm.supported && report.board?.fits !== false ? 'green' : 'yellow';
      return { fill, shape: 'dot', text: summaryOf(report, input.bytes.length) };
    });
  }
  RED.nodes.registerType('tinyml-model-info', ModelInfoNode);
};
