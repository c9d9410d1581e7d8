import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** The default configuration file, looked up in the working directory. */
export const CONFIG_FILE = 'spinnaker.config.json';

const board = z
  .string()
  .min(1)
  .describe('"emulator" to run against the embedded emulator, or the IP address / host name of a board');

const emulator = z.strictObject({
  listen: z.string().default('127.0.0.1').describe('loopback address the embedded emulator binds'),
  shape: z.string().default('spinn-5').describe('spinn-3, spinn-5 or WxH'),
  unbooted: z.boolean().default(false),
  scamp: z.enum(['3.1.0', '4.0.0']).default('4.0.0'),
});

const transceiver = z.strictObject({
  port: z.number().int().min(1).max(65535).default(17893),
  window: z.number().int().min(1).max(8).default(8),
  timeoutMs: z.number().positive().default(500),
  tries: z.number().int().min(1).default(5),
});

const bootSection = z.strictObject({
  image: z.string().optional().describe('path to an SC&MP boot image (scamp.boot)'),
  hwVer: z.union([z.literal(3), z.literal(5)]).default(5),
  port: z.number().int().min(1).max(65535).default(54321),
});

/**
 * The whole file. Sections owned by later layers (model, data, run, ...) are
 * checked by those layers; here they only have to be objects.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  board: board.default('emulator'),
  emulator: emulator.default(emulator.parse({})),
  transceiver: transceiver.default(transceiver.parse({})),
  boot: bootSection.default(bootSection.parse({})),
  model: z.record(z.string(), z.unknown()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  run: z.record(z.string(), z.unknown()).optional(),
  convnet: z.record(z.string(), z.unknown()).optional(),
  firmware: z
    .strictObject({
      binaries: z
        .string()
        .min(1)
        .optional()
        .describe('directory holding the sPyNNaker 7.1.1 .aplx binaries (needed for a real board)'),
    })
    .optional(),
});

export type SpinnConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in "${path}"` : '';
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}`;
  }
  return `"${path}": ${issue.message}`;
}

/** Validates a parsed JSON value; `source` names where it came from in messages. */
export function parseConfig(value: unknown, source = CONFIG_FILE): SpinnConfig {
  const r = configSchema.safeParse(value);
  if (!r.success) {
    const known = Object.keys(configSchema.shape).filter((k) => k !== '$schema').join(', ');
    const lines = r.error.issues.map(describeIssue);
    throw new ConfigError(`${source} is not valid:\n  - ${lines.join('\n  - ')}\n(top-level keys: ${known})`);
  }
  return r.data;
}

/**
 * Loads the configuration: `path` if given (it must exist), else
 * spinnaker.config.json in `cwd` if present, else the defaults.
 */
export function loadConfig(path?: string, cwd = process.cwd()): SpinnConfig {
  const file = path ? resolve(cwd, path) : resolve(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`config file ${file} does not exist`);
    return parseConfig({});
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(json, file);
}
