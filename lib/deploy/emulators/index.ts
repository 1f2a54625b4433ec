// Emulated boards for tests, demos and the deploy path: QEMU (Cortex-M3) and simavr (Uno).
export { buildFirmware, parseSizeOutput } from './build';
export type { BuildOptions, BuiltFirmware, FirmwareSize, FirmwareTarget } from './build';
export { startQemu } from './qemu';
export type { QemuOptions } from './qemu';
export type { EmulatorSession } from './session';
export { buildAvrHarness, buildOptiboot, startSimavr } from './simavr';
export type { SimavrOptions } from './simavr';
export { findTool, firmwareRoot, requireTool } from './tools';
export { buildFirmwareProject, buildHostProject } from './project';
export type { BuiltProject, ProjectBuildOptions } from './project';
