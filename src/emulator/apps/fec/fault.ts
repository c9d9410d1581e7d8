import { RtCode } from '../../layout.js';

export const RTE_SWERR = RtCode.SWERR;
export const RTE_API = RtCode.API;
export const RTE_MALLOC = RtCode.MALLOC;

/** A condition under which the firmware calls rt_error: the core goes to RTE with this code and IOBUF text. */
export class FirmwareFault extends Error {
  constructor(message: string, readonly rtCode: number = RTE_SWERR) {
    super(message);
    this.name = 'FirmwareFault';
  }
}
