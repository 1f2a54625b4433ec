// Finding the external programs the emulators need, with errors that say how to get them.
import fs from 'node:fs';
import path from 'node:path';

/** Debian package that provides each tool (what CI's .ci/run installs). */
export const TOOL_PACKAGES: Record<string, string> = {
  'qemu-system-arm': 'qemu-system-arm',
  'arm-none-eabi-gcc': 'gcc-arm-none-eabi libnewlib-arm-none-eabi',
  'avr-gcc': 'gcc-avr avr-libc',
  make: 'make',
  gcc: 'gcc libsimavr-dev',
  avrdude: 'avrdude',
  socat: 'socat',
};

/** The absolute path of `name` on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function requireTool(name: string): string {
  const found = findTool(name);
  if (found) return found;
  const pkg = TOOL_PACKAGES[name] ?? name;
  throw new Error(`${name} not found: apt-get install ${pkg}`);
}

/** The firmware/ directory shipped with this package (found from dist/lib/... or lib/...). */
export function firmwareRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'firmware');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`firmware/ directory not found above ${__dirname}`);
    dir = parent;
  }
}
