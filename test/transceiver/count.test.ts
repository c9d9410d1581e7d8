import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScpCommand, ScpResult } from '../../src/protocol/constants.js';
import { countRequest } from '../../src/protocol/app.js';
import { CpuState } from '../../src/protocol/vcpu.js';
import { openTestBoard, type TestBoard } from './board.js';

// SC&MP 4.0.0 answers a CMD_COUNT that arrives while another runs with
// RC_P2P_BUSY, which its error masking turns into RC_OK without args.
describe.skipIf(!!process.env.SPINN_BOARD)('core counts under SC&MP 4.0.0 error masking', () => {
  let b: TestBoard;
  beforeAll(async () => {
    b = await openTestBoard({ shape: 'spinn-3', scamp: '4.0.0', maskErrors: true });
  });
  afterAll(() => b.close());

  it('the emulator really answers an overlapping count with RC_OK and no count', async () => {
    const call = { x: 255, y: 255, p: 0, cmd: ScpCommand.COUNT, ...countRequest.encode({ appId: 0, state: CpuState.IDLE }), replyArgs: 1 };
    const [first, second] = await Promise.all([b.tx.conn.request(call), b.tx.conn.request(call)]);
    expect(first.rc).toBe(ScpResult.OK);
    expect(first.args.length).toBe(1);
    expect(second.rc).toBe(ScpResult.OK);
    expect(second.args).toEqual([]);
  });

  it('overlapping counts all get the real count, not 0', async () => {
    const alone = await b.tx.countCoresInState('idle', 0);
    expect(alone).toBeGreaterThan(0);
    const together = await Promise.all(Array.from({ length: 4 }, () => b.tx.countCoresInState('idle', 0)));
    expect(together).toEqual([alone, alone, alone, alone]);
  });
});
