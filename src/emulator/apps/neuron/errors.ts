/** A condition under which the real firmware would stop with a run-time error (rt_error). */
export class FirmwareError extends Error {
  constructor(
    message: string,
    /** The spinnaker_tools run-time error code the real core would report. */
    readonly rte: 'RTE_SWERR' | 'RTE_ENOMEM' = 'RTE_SWERR',
  ) {
    super(message);
    this.name = 'FirmwareError';
  }
}
