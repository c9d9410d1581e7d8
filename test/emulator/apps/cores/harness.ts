/** The core-app tests drive the board through the testbed host (also used by tools/bench/emulator-core.ts). */
export { Host, APP_ID } from '../../../../src/emulator/apps/testbed/host.js';
