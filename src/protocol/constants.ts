/** SC&MP command codes (spinnaker_tools `enum sark_scp_command_codes`). */
export const ScpCommand = {
  VER: 0,
  RUN: 1,
  READ: 2,
  WRITE: 3,
  APLX: 4,
  FILL: 5,
  COUNT: 15,
  REMAP: 16,
  LINK_READ: 17,
  LINK_WRITE: 18,
  AR: 19,
  NNP: 20,
  APP_COPY_RUN: 21,
  SIG: 22,
  FFD: 23,
  AS: 24,
  LED: 25,
  IPTAG: 26,
  SROM: 27,
  ALLOC: 28,
  RTR: 29,
  DPRI: 30,
  INFO: 31,
  SYNC: 32,
  BMP_INFO: 48,
  BMP_POWER: 57,
  TUBE: 64,
} as const;
export type ScpCommandName = keyof typeof ScpCommand;

/** SCP return codes. */
export const ScpResult = {
  OK: 0x80,
  LEN: 0x81,
  SUM: 0x82,
  CMD: 0x83,
  ARG: 0x84,
  PORT: 0x85,
  TIMEOUT: 0x86,
  ROUTE: 0x87,
  CPU: 0x88,
  DEAD: 0x89,
  BUF: 0x8a,
  P2P_NOREPLY: 0x8b,
  P2P_REJECT: 0x8c,
  P2P_BUSY: 0x8d,
  P2P_TIMEOUT: 0x8e,
  PKT_TX: 0x8f,
} as const;
export type ScpResultName = keyof typeof ScpResult;

export function commandName(code: number): string {
  for (const [k, v] of Object.entries(ScpCommand)) if (v === code) return `CMD_${k}`;
  return `command ${code}`;
}

export function resultName(code: number): string {
  for (const [k, v] of Object.entries(ScpResult)) if (v === code) return `RC_${k}`;
  return `0x${code.toString(16)}`;
}

export const SCAMP_PORT = 17893;
export const BOOT_PORT = 54321;
