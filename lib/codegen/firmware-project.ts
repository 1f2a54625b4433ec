// A buildable firmware project for a model on a board, on our C runtime (firmware/runtime): the
// model with its tinyml_plan as a TM_CONST C array, the per-model op table, only the kernels the
// model uses, the serial frame app (docs/firmware-serial.md), the board's files and a standalone
// Makefile; an Arduino sketch + library for Arduino boards and a platformio.ini for PlatformIO.
import fs from 'node:fs';
import path from 'node:path';
import { fits, type BoardFit } from '../deploy/boards/fits.js';
import type { BoardProfile } from '../deploy/boards/profile.js';
import { firmwareRoot } from '../deploy/emulators/tools.js';
import { InterpreterError } from '../interpreter/errors.js';
import { loadModel } from '../model/read.js';
import type { Model } from '../model/types.js';
import { writeModel } from '../model/write.js';
import { toCArray } from './c-array.js';
import { arduinoFiles, makefileText, platformioText, readmeText, type MakeTarget, type ProjectLayout } from './firmware-project-files.js';
import { kernelSources, opTableSource, planKernels } from './op-table.js';
import { readTinymlPlan, TINYML_PLAN, TinymlPlanError, withTinymlPlan, type TinymlPlan } from './plan/index.js';

export interface FirmwareProjectOptions {
  board: BoardProfile;
  /** Project name, a C identifier: the Arduino sketch folder and `${name}_model` array. Default 'tinyml_model'. */
  name?: string;
}

export interface FirmwareProject {
  /** Path relative to the output folder -> file text. */
  files: Record<string, string>;
  /** The bare-metal target the Makefile builds by default, or null (host only; the MCU through Arduino/PlatformIO). */
  makeTarget: MakeTarget | null;
  plan: { arenaBytes: number; kernels: string[]; operators: number; inputBytes: number; outputBytes: number };
  /** The model array's object in a build, e.g. 'src/NAME_model.o' (footprintFromMap's modelObject). */
  modelObject: string;
  /** The planned model (.tflite bytes with tinyml_plan) that the C array holds. */
  modelBytes: Uint8Array;
  /** Estimated flash and RAM on the board (fits() with RUNTIME_SIZE); the --size build measures them. */
  fit: BoardFit;
}

export class FirmwareProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirmwareProjectError';
  }
}

const DEFAULT_NAME = 'tinyml_model';
const CORE_SOURCES = ['tm_runtime.c', 'tm_flatbuffer.c', 'tm_fixedpoint.c'];
const BOARD_FILES: Record<MakeTarget, string[]> = {
  'qemu-mps2-an385': ['startup.c', 'board.c', 'mps2-an385.ld'],
  atmega328p: ['board.c'],
};

/** The firmware/targets directory a board's Makefile builds for; null when we have none. */
export function makeTargetOf(board: BoardProfile): MakeTarget | null {
  if (board.id === 'qemu-mps2-an385') return 'qemu-mps2-an385';
  if (board.core === 'avr8' && board.mcu === 'ATmega328P') return 'atmega328p';
  return null;
}

/**
 * The project for `modelBytes` (a .tflite) on `options.board`. Throws FirmwareProjectError for a
 * model the C runtime cannot run (naming the operator), a model that does not fit the board, or
 * a model whose existing tinyml_plan is corrupt.
 */
export function firmwareProject(modelBytes: Uint8Array, options: FirmwareProjectOptions): FirmwareProject {
  const name = options.name ?? DEFAULT_NAME;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new FirmwareProjectError(`project name '${name}' is not a C identifier`);
  const { board } = options;
  const model = loadModel(modelBytes);
  const planned = plannedModel(model);
  const bytes = writeModel(planned);
  // Read back from the bytes the device gets: the check tm_init will make, done at generation time.
  const plan = readTinymlPlan(loadModel(bytes));
  const fit = fits(planned, board, { modelBytes: bytes.length, arenaBytes: plan.arenaSize });
  if (!fit.fits) throw new FirmwareProjectError(`${name} on ${board.name}: ${fit.message}`);
  const layout = layoutOf(name, board, plan, bytes.length);
  const files: Record<string, string> = {};
  const runtime = fs.readdirSync(path.join(firmwareRoot(), 'runtime'));
  const runtimeFiles = [...runtime.filter((f) => f.endsWith('.h')), ...CORE_SOURCES, ...kernelSources(plan)];
  for (const file of runtimeFiles) files[`runtime/${file}`] = firmwareFile('runtime', file);
  Object.assign(files, appFiles(name, bytes, plan));
  files['board/host/host_board.c'] = firmwareFile('common/tm-app', 'host_board.c');
  if (layout.makeTarget) for (const file of BOARD_FILES[layout.makeTarget]) files[`board/${layout.makeTarget}/${file}`] = firmwareFile(`targets/${layout.makeTarget}`, file);
  files['Makefile'] = makefileText(layout);
  files['README.md'] = readmeText(layout);
  if (board.fqbn !== null) Object.assign(files, arduinoFiles(layout, files));
  if (board.platformio !== null) files['platformio.ini'] = platformioText(layout);
  return {
    files,
    makeTarget: layout.makeTarget,
    plan: { arenaBytes: plan.arenaSize, kernels: layout.kernels, operators: plan.operators.length, inputBytes: layout.inputBytes, outputBytes: layout.outputBytes },
    modelObject: layout.modelSource.replace(/\.c$/, '.o'),
    modelBytes: bytes,
    fit,
  };
}

/** The model with a fresh plan; an existing plan must be intact (a corrupt one means corrupt bytes). */
function plannedModel(model: Model): Model {
  if (model.metadata[TINYML_PLAN] !== undefined) {
    try {
      readTinymlPlan(model);
    } catch (error) {
      if (error instanceof TinymlPlanError) throw new FirmwareProjectError(`the model's ${TINYML_PLAN} is corrupt (${error.message}): the model bytes are damaged; start again from the original .tflite`);
      throw error;
    }
  }
  try {
    return withTinymlPlan(model);
  } catch (error) {
    // The plan comes from our interpreter's planner, which refuses ops it has no kernel for first.
    if (error instanceof TinymlPlanError || error instanceof InterpreterError) throw new FirmwareProjectError(`the C runtime cannot run this model: ${error.message}`);
    throw error;
  }
}

function layoutOf(name: string, board: BoardProfile, plan: TinymlPlan, modelSize: number): ProjectLayout {
  const ioBytes = (tensors: number[]): number => tensors.reduce((n, t) => n + plan.sizes[t], 0);
  return {
    name,
    board,
    makeTarget: makeTargetOf(board),
    kernels: planKernels(plan).map(([kernel]) => kernel),
    kernelSources: kernelSources(plan).map((s) => `runtime/${s}`),
    coreSources: CORE_SOURCES.map((s) => `runtime/${s}`),
    modelSource: `src/${name}_model.c`,
    arenaBytes: plan.arenaSize,
    modelSize,
    inputBytes: ioBytes(plan.inputs),
    outputBytes: ioBytes(plan.outputs),
  };
}

/** src/: the model array, the op table, the serial app and its app_infer over the runtime. */
function appFiles(name: string, bytes: Uint8Array, plan: TinymlPlan): Record<string, string> {
  const array = toCArray(bytes, { name: `${name}_model`, fileName: `${name}.tflite`, qualifier: 'TM_CONST', includes: ['tm_platform.h'] });
  const config = [
    '/* Generated by node-red-contrib-tinyml (lib/codegen/firmware-project.ts): what tm_app.c runs. */',
    '#ifndef TM_APP_CONFIG_H',
    '#define TM_APP_CONFIG_H',
    '',
    `#include "${array.headerFileName ?? ''}"`,
    '',
    `#define TM_APP_MODEL ${array.name}`,
    `#define TM_APP_MODEL_SIZE ${bytes.length}u`,
    `/* The tinyml_plan's arena: ${plan.operators.length} operators, tensors and scratch placed offline. */`,
    `#define TM_APP_ARENA_BYTES ${plan.arenaSize}u`,
    '',
    '#endif',
    '',
  ].join('\n');
  return {
    [`src/${array.sourceFileName}`]: array.source,
    [`src/${array.headerFileName ?? ''}`]: array.header ?? '',
    'src/tm_app_config.h': config,
    'src/tm_ops.c': opTableSource(plan),
    'src/tm_app.c': firmwareFile('common/tm-app', 'tm_app.c'),
    'src/tm_app.h': firmwareFile('common/tm-app', 'tm_app.h'),
    'src/main.c': firmwareFile('common/tm-app', 'tm_main.c'),
    'src/serial_app.c': firmwareFile('common/serial-app', 'serial_app.c'),
    'src/serial_app.h': sizedSerialApp(firmwareFile('common/serial-app', 'serial_app.h'), plan),
  };
}

/**
 * The project's serial_app.h, sized for this model (every build, Arduino's included, sees it):
 * with one input and one output, frames live in the arena's tensors (SA_APP_BUFFERS), so the
 * firmware's RAM is the arena plus the runtime's globals; otherwise buffers of the I/O size.
 */
function sizedSerialApp(header: string, plan: TinymlPlan): string {
  const bytes = (tensors: number[]): number => Math.max(1, tensors.reduce((n, t) => n + plan.sizes[t], 0));
  const marker = '/* Buffer sizes are per target';
  if (!header.includes(marker)) throw new Error(`serial_app.h: '${marker}' not found; update sizedSerialApp`);
  const zeroCopy = plan.inputs.length === 1 && plan.outputs.length === 1;
  const defines = zeroCopy
    ? '/* Generated for this model: frames go straight into the input tensor, replies come from the output tensor. */\n#define SA_APP_BUFFERS 1\n'
    : `/* Generated for this model: buffers the size of its inputs and outputs. */\n#define SA_MAX_INPUT ${bytes(plan.inputs)}\n#define SA_MAX_OUTPUT ${bytes(plan.outputs)}\n`;
  return header.replace(marker, `${defines}${marker}`);
}

function firmwareFile(dir: string, file: string): string {
  return fs.readFileSync(path.join(firmwareRoot(), dir, file), 'utf8');
}


/** Writes a project's files under dir (creating folders); returns the paths written. */
export function writeProjectFiles(dir: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([file, text]) => {
    const target = path.join(dir, ...file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    return target;
  });
}
