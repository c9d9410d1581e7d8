import type { Command } from 'commander';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { emit, table } from './output.js';
import { parseChip, parseCore, parseInteger } from './parse.js';

export function registerTags(program: Command): void {
  const tags = program.command('tags').description('list, set and clear the IP tags of the board\'s Ethernet chip');
  boardOptions(tags.command('list', { isDefault: true }).description('list the IP tags in use').option('-a, --all', 'show unused tags too')).action(
    (opts: BoardOptions & { all?: boolean }) =>
      withBoard(opts, async ({ tx }) => {
        const all = await tx.getIpTags();
        const shown = opts.all ? all : all.filter((t) => t.inUse);
        emit(opts.json, shown, () =>
          shown.length === 0
            ? '(no IP tags in use)'
            : table(
                ['tag', 'kind', 'ip', 'port', 'rx port', 'dest', 'flags', 'count', 'timeout'],
                shown.map((t) => [
                  t.tag,
                  !t.inUse ? 'unused' : t.reverse ? 'reverse' : t.transient ? 'transient' : t.strip ? 'strip' : 'forward',
                  t.ip,
                  t.txPort,
                  t.reverse ? t.rxPort : '',
                  t.reverse ? `${t.destX},${t.destY},${t.destCpu} port ${t.destPort}` : '',
                  `0x${t.flags.toString(16)}`,
                  t.count,
                  t.timeout,
                ]),
              ),
        );
      }),
  );
  boardOptions(
    tags
      .command('set')
      .description('send SDP addressed to tag <tag> to <ip>:<port>')
      .argument('<tag>', 'tag 0..7')
      .argument('<ip>', 'host IPv4 address')
      .argument('<port>', 'host UDP port')
      .option('--strip', 'strip the SDP header (send only the payload)'),
  ).action((tag: string, ip: string, port: string, opts: BoardOptions & { strip?: boolean }) =>
    withBoard(opts, async ({ tx }) => {
      const t = parseInteger(tag, 'tag', 0, 7);
      await tx.setIpTag(t, ip, parseInteger(port, 'port', 0, 65535), { strip: opts.strip ?? false });
      emit(opts.json, { tag: t, ip, port: Number(port) }, () => `tag ${t} → ${ip}:${port}${opts.strip ? ' (strip)' : ''}`);
    }),
  );
  boardOptions(
    tags
      .command('reverse')
      .description('deliver UDP datagrams sent to the board on <rx-port> as SDP to a core')
      .argument('<tag>', 'tag 0..7')
      .argument('<rx-port>', 'board UDP port to listen on')
      .argument('<x,y,p>', 'destination core')
      .option('--sdp-port <n>', 'destination SDP port', '1'),
  ).action((tag: string, rxPort: string, core: string, opts: BoardOptions & { sdpPort: string }) =>
    withBoard(opts, async ({ tx }) => {
      const t = parseInteger(tag, 'tag', 0, 7);
      const c = parseCore(core);
      await tx.setReverseIpTag(t, parseInteger(rxPort, 'rx port', 0, 65535), { x: c.x, y: c.y, cpu: c.p, sdpPort: parseInteger(opts.sdpPort, '--sdp-port', 0, 7) });
      emit(opts.json, { tag: t, rxPort: Number(rxPort), dest: c }, () => `reverse tag ${t}: port ${rxPort} → core ${core}`);
    }),
  );
  boardOptions(tags.command('clear').description('clear an IP tag').argument('<tag>', 'tag 0..15')).action((tag: string, opts: BoardOptions) =>
    withBoard(opts, async ({ tx }) => {
      const t = parseInteger(tag, 'tag', 0, 15);
      await tx.clearIpTag(t);
      emit(opts.json, { tag: t, cleared: true }, () => `tag ${t} cleared`);
    }),
  );
  void parseChip;
}
