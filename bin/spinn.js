#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's loader, so no build
// step is needed and signals (Ctrl-C) reach the command's own handlers.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
