// Facts about the TFLM reference models as ../shared/models/tflm/SOURCES.md states them (read
// from the files with TensorFlow's schema when they were copied): an independent source to
// compare loadModel's output with.
import fs from 'node:fs';
import path from 'node:path';
import { SHARED } from '../support/paths.js';

export interface TensorFact {
  dtype: string;
  shape: number[];
  scale: number | null;
  zeroPoint: number | null;
}

export interface ModelFacts {
  /** Path under ../shared/models/tflm. */
  file: string;
  /** The operator_codes table in order; custom ops as 'CUSTOM:Name'. */
  opCodes: string[] | null;
  operatorCount: number | null;
  tensorCount: number | null;
  inputs: TensorFact[];
  outputs: TensorFact[];
  description: string | null;
  metadataNames: string[] | null;
}

export const SOURCES_MD = path.join(SHARED, 'models/tflm/SOURCES.md');

/** "int8[1, 1, 257] s=0.0685789138 zp=-128; int32[4]" -> facts. */
export function parseTensorList(text: string): TensorFact[] {
  return text.split(';').map((part) => {
    const match = /^\s*(\w+)\[([\d, ]*)\](?:\s+s=([-\d.e+]+)\s+zp=(-?\d+))?\s*$/.exec(part);
    if (!match) throw new Error(`SOURCES.md: cannot parse tensor "${part}"`);
    return {
      dtype: match[1],
      shape: match[2].trim() === '' ? [] : match[2].split(',').map((d) => Number(d.trim())),
      scale: match[3] === undefined ? null : Number(match[3]),
      zeroPoint: match[4] === undefined ? null : Number(match[4]),
    };
  });
}

function emptyFacts(file: string): ModelFacts {
  return { file, opCodes: null, operatorCount: null, tensorCount: null, inputs: [], outputs: [], description: null, metadataNames: null };
}

/** Every model SOURCES.md describes, by its path under ../shared/models/tflm. */
export function readSourcesMd(text: string = fs.readFileSync(SOURCES_MD, 'utf8')): Map<string, ModelFacts> {
  const models = new Map<string, ModelFacts>();
  let current: ModelFacts | null = null;
  for (const line of text.split('\n')) {
    const heading = /^### (\S+\.tflite)\s*$/.exec(line);
    if (heading) {
      current = emptyFacts(heading[1]);
      models.set(current.file, current);
      continue;
    }
    if (line.startsWith('#')) current = null;

    // SEANet table: | add/add0.tflite | bytes | `sha` | OP | inputs | output |
    const row = /^\| (\S+\.tflite) \| \d+ \| `[0-9a-f]+` \| (\w+) \| ([^|]+) \| ([^|]+) \|$/.exec(line);
    if (row) {
      const facts = emptyFacts(`integration_tests/seanet/${row[1]}`);
      facts.opCodes = [row[2]];
      facts.operatorCount = 1;
      facts.inputs = parseTensorList(row[3]);
      facts.outputs = parseTensorList(row[4]);
      models.set(facts.file, facts);
      continue;
    }
    if (current === null) continue;

    const opCodes = /^- op codes: (.*); operators in subgraph 0: (\d+); tensors: (\d+)$/.exec(line);
    if (opCodes) {
      current.opCodes = opCodes[1].split(',').map((s) => s.trim());
      current.operatorCount = Number(opCodes[2]);
      current.tensorCount = Number(opCodes[3]);
    }
    const io = /^- (input|output)\(s\): (.*)$/.exec(line);
    if (io) current[io[1] === 'input' ? 'inputs' : 'outputs'] = parseTensorList(io[2]);
    const description = /^- converter description: `([^`]*)`; metadata: \[(.*)\]$/.exec(line);
    if (description) {
      current.description = description[1];
      current.metadataNames = description[2] === '' ? [] : description[2].split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
    }
  }
  return models;
}
