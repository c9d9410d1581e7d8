/** Core blocks for the tests: the testbed's examples, built with the host's region writers. */
export * from '../../../../src/emulator/apps/testbed/blocks.js';
