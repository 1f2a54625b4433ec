// A generated project (path -> text) as one .zip, e.g. for a flow to save or send: every file
// under one top folder, so unzipping it never spills files beside the archive.
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface ProjectZipOptions {
  /** The folder the files sit in inside the zip; a plain name (the project's). */
  folder: string;
  /** The files' modification time; default now. */
  mtime?: Date;
}

export function zipProject(files: Readonly<Record<string, string>>, options: ProjectZipOptions): Uint8Array {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(options.folder)) throw new RangeError(`zip folder '${options.folder}' is not a plain name`);
  const entries: Zippable = {};
  for (const [file, text] of Object.entries(files)) entries[`${options.folder}/${file}`] = strToU8(text);
  return zipSync(entries, { level: 6, mtime: options.mtime ?? new Date() });
}
