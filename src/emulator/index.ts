export { startEmulator, EmulatorError, DEFAULT_LISTEN, DEFAULT_SCAMP_PORT, DEFAULT_BOOT_PORT } from './server.js';
export type { EmulatedBoard, EmulatorOptions, EmulatorCounters } from './server.js';
export { Board, DEFAULT_BUILD_DATE, type ScampVersion, type BoardOptions } from './board.js';
export { EmulatedChip } from './chip.js';
export { MemoryFault } from './memory.js';
export * from './apps/app.js';
export { CpuState, Signal, RtCode } from './layout.js';
