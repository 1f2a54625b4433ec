#!/usr/bin/env node
import { run } from './program.js';

// A reader that closes the pipe early (`tinyml c-array m.tflite | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// exitCode rather than exit(): stdout to a pipe may still be flushing.
run(process.argv).then((code) => {
  process.exitCode = code;
});
