#!/usr/bin/env bash
# Drive an unmodified ybug (spinnaker_tools/tools/ybug) against the emulated
# board and check every answer. Prints PASS/FAIL per item and a summary line;
# exits non-zero on any failure.
#
#   SPINNAKER_TOOLS=<checkout of spinnaker_tools> tools/real-tools/run-ybug.sh
#
# Environment:
#   SPINNAKER_TOOLS  checkout of SpiNNakerManchester/spinnaker_tools (required)
#   BOARD_ADDR       loopback address the emulator listens on (default 127.0.0.2)
#   SCAMP            SC&MP behaviour to emulate: 3.1.0 (default) or 4.0.0
#   SHAPE            emulated machine shape (default spinn-5)
#   EXTERNAL_BOARD=1 do not start an emulator; use one already on BOARD_ADDR
#   EMULATOR_CMD     command that starts the emulator (overrides the default)
#   KEEP_WORK=1      keep the work directory (ybug transcript, files)
#   BOOT_IMAGE       an SC&MP boot image (e.g. rig/boot/scamp.boot): start the
#                    emulator unbooted and boot it first with ybug's "boot"
#                    (the SC&MP version then comes from the image)
set -u

: "${SPINNAKER_TOOLS:?set SPINNAKER_TOOLS to a checkout of SpiNNakerManchester/spinnaker_tools}"
TOOLS="$SPINNAKER_TOOLS/tools"
[ -f "$TOOLS/ybug" ] || { echo "no ybug at $TOOLS/ybug: SPINNAKER_TOOLS must be the root of a spinnaker_tools checkout" >&2; exit 2; }
command -v perl >/dev/null || { echo "perl not found: install Debian's perl" >&2; exit 2; }

ADDR="${BOARD_ADDR:-127.0.0.2}"
SCAMP="${SCAMP:-3.1.0}"
SHAPE="${SHAPE:-spinn-5}"
case "$ADDR" in 127.*) ;; *) echo "BOARD_ADDR=$ADDR is not a loopback address (127.0.0.0/8); refusing" >&2; exit 2 ;; esac
case "$SCAMP" in 3.1.0|4.0.0) ;; *) echo "SCAMP must be 3.1.0 or 4.0.0, not $SCAMP" >&2; exit 2 ;; esac

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/real-tools-ybug.XXXXXX)"
EMU_PID=""

cleanup() {
  if [ -n "$EMU_PID" ]; then
    kill -TERM -- "-$EMU_PID" 2>/dev/null
    wait "$EMU_PID" 2>/dev/null
  fi
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "${FAILS:-0}" != 0 ]; then echo "work directory kept: $WORK (transcript, emulator.log)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

port_bound() { ss -Hunl "src $ADDR:$1" 2>/dev/null | grep -q .; }

if [ "${EXTERNAL_BOARD:-0}" != 1 ]; then
  if port_bound 17893; then
    echo "something already listens on $ADDR:17893; stop it or set EXTERNAL_BOARD=1" >&2; exit 2
  fi
  if [ -n "${BOOT_IMAGE:-}" ]; then EMU_ARGS="--unbooted"; else EMU_ARGS="--scamp $SCAMP"; fi
  EMU_CMD="${EMULATOR_CMD:-npx tsx src/cli/main.ts emulator --listen $ADDR --shape $SHAPE $EMU_ARGS}"
  (cd "$REPO" && exec setsid $EMU_CMD) >"$WORK/emulator.log" 2>&1 &
  EMU_PID=$!
  for _ in $(seq 1 150); do
    port_bound 17893 && break
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.2
  done
  if ! port_bound 17893; then
    echo "the emulator did not start listening on $ADDR:17893 ($EMU_CMD):" >&2
    tail -20 "$WORK/emulator.log" >&2
    exit 1
  fi
fi

# ---------------------------------------------------------------- test files
APP_ID=17
head -c 5000 /dev/urandom >"$WORK/blk-a.bin"
head -c 65537 /dev/urandom >"$WORK/blk-b.bin"
# APLX (scamp-protocol §5.2): RCOPY image→ITCM 0, FILL DTCM, EXEC 0, END; image = "b ."
perl -e 'print pack("V4 V4 V4 V4 V8", 2, 0x0, 64, 32,  3, 0x400000, 32, 0,  4, 0, 0, 0,  0xFF, 0, 0, 0,
                     0xEAFFFFFE, 0, 0, 0, 0, 0, 0, 0)' >"$WORK/app.aplx"
# Router file for rtr_load: 3 entries (next, free, route, key, mask) + a zero record.
perl -e 'print pack("v2 V3", 0, 0, (1 << (6+1)) | 0x01, 0x10000000, 0xFFFF0000);
         print pack("v2 V3", 1, 0, (1 << (6+2)) | 0x02, 0x20000000, 0xFFFF0000);
         print pack("v2 V3", 2, 0, (1 << (6+3)) | 0x24, 0x30000000, 0xFFFFFF00);
         print pack("v2 V3", 0, 0, 0, 0, 0)' >"$WORK/table.rtr"

# ---------------------------------------------------------------- the session
N=0
: >"$WORK/cmds"
add() { N=$((N + 1)); printf '%s\n' "$1" >>"$WORK/cmds"; [ -n "${2:-}" ] && eval "$2=$N"; return 0; }

if [ -n "${BOOT_IMAGE:-}" ]; then
  [ -f "$BOOT_IMAGE" ] || { echo "BOOT_IMAGE=$BOOT_IMAGE does not exist" >&2; exit 2; }
  # ybug finds the image and the .conf through SPINN_PATH / tools/boot (SpiNN::Util find_path).
  export SPINN_PATH="$(cd "$(dirname "$BOOT_IMAGE")" && pwd)"
  case "$SHAPE" in spinn-3) CONF=spin3.conf ;; *) CONF=spin5.conf ;; esac
  add "boot $(basename "$BOOT_IMAGE") $CONF" C_BOOT
fi
add "sver" C_SVER
add "sp 1 1" C_SP11
add "sver" C_SVER11
add "sp root" C_SPROOT
add "sver" C_SVER00
add "sw 60300000 deadbeef"
add "sw 60300000" C_SW
add "sw 60300010 0"
add "sh 60300010 1234"
add "sb 60300013 ab"
add "sh 60300010" C_SH
add "sb 60300013" C_SB
add "sw 60300010" C_SHB
add "sw 6030fffc 22222222"
add "sw 60310100 11111111"
add "sfill 60310000 60310100 a5a5a5a5" C_FILL
add "sw 60310000" C_FILL0
add "sw 603100fc" C_FILL1
add "sw 6030fffc" C_FILLB
add "sw 60310100" C_FILLA
add "sload $WORK/blk-a.bin 60320003" C_SLOADA
add "sdump $WORK/blk-a.out 60320003 $(printf %x 5000)" C_SDUMPA
add "sload $WORK/blk-b.bin 60400000" C_SLOADB
add "sdump $WORK/blk-b.out 60400000 $(printf %x 65537)" C_SDUMPB
add "iptag 1 set 127.0.0.1 40001" C_IPT1
add "iptag 2 strip 127.0.0.1 40002" C_IPT2
add "iptag 3 reverse 40003 0101 21" C_IPT3
add "iptag" C_IPTAGS
add "iptag 2 clear" C_IPTCLR
add "iptag" C_IPTAGS2
add "rtr_load $WORK/table.rtr $APP_ID" C_RTRLOAD
add "rtr_dump" C_RTRDUMP
add "expert"
add "cmd 28 $(printf %x $((APP_ID << 8))) 400 5" C_ALLOC
add "heap sdram" C_HEAPSD
add "heap sysram" C_HEAPSY
add "heap system" C_HEAPSS
add "ps" C_PS0
add "app_load $WORK/app.aplx . 1-3 $APP_ID wait" C_APPLOAD
add "ps" C_PSW
add "app_sig all $APP_ID count ready" C_CNTW
add "app_sig all $APP_ID start" C_SIGSTART
add "ps" C_PSR
add "ps 2" C_PSL
add "app_sig all $APP_ID count run" C_CNTR
add "app_sig all $APP_ID pause" C_SIGPAUSE
add "ps" C_PSP
add "app_sig all $APP_ID cont" C_SIGCONT
add "ps" C_PSC
add "app_sig all $APP_ID stop" C_SIGSTOP
add "ps" C_PSS
add "app_sig all $APP_ID count run" C_CNTS
add "heap sdram" C_HEAPSD2
add "led 0 on" C_LED1
add "led 1 off" C_LED2
add "led 01 inv" C_LED3
add "quit"

(cd "$WORK" && timeout 300 perl -I "$TOOLS" "$TOOLS/ybug" -norl "$ADDR" <"$WORK/cmds" >"$WORK/transcript" 2>&1)
YBUG_RC=$?

# Split the transcript into one file per command: ybug echoes "host:x,y,c > cmd"
# before running each command when stdin is not a terminal.
awk -v dir="$WORK" '
  /^[^ ]+:[0-9]+,[0-9]+,[0-9]+ > / { n++; f = dir "/out." n; print > (dir "/prompt." n); next }
  n > 0 { print > f }
' "$WORK/transcript"
for i in $(seq 1 "$N"); do touch "$WORK/out.$i" "$WORK/prompt.$i"; done

# ---------------------------------------------------------------- checks
PASSES=0; FAILS=0
pass() { PASSES=$((PASSES + 1)); printf 'PASS  %-28s %s\n' "$1" "$2"; }
fail() { FAILS=$((FAILS + 1)); printf 'FAIL  %-28s %s\n' "$1" "$2"; }
out() { cat "$WORK/out.$1"; }
first() { head -n 1 "$WORK/out.$1"; }
noerr() { ! grep -q -E '^error:|^bad command' "$WORK/out.$1"; }
errs() { grep -E '^error:' "$WORK/out.$1" | head -n 1; }
show() { local s; s="$(tr '\n' '|' <"$WORK/out.$1" | cut -c1-160)"; printf '%s' "${s:-<no output>}"; }
expect_line() { # name cmdindex regex (and no error printed)
  if noerr "$2" && grep -q -E "$3" "$WORK/out.$2"; then pass "$1" "$(grep -m1 -E "$3" "$WORK/out.$2")"
  else fail "$1" "expected /$3/, got: $(show "$2")"; fi
}
expect_quiet() { # name cmdindex : command must print nothing (ybug prints only errors)
  if [ ! -s "$WORK/out.$2" ]; then pass "$1" "no error"; else fail "$1" "$(show "$2")"; fi
}

echo "ybug against $ADDR (SC&MP $SCAMP, $SHAPE)"
if [ -n "$EMU_PID" ] && ! kill -0 "$EMU_PID" 2>/dev/null; then
  fail "emulator alive" "the emulator exited during the session: $(tail -5 "$WORK/emulator.log" | tr '\n' '|')"
fi
if [ "$YBUG_RC" -ne 0 ]; then fail "ybug session" "ybug exited with $YBUG_RC: $(tail -3 "$WORK/transcript" | tr '\n' '|')"; fi

if [ -n "${BOOT_IMAGE:-}" ]; then
  case "$SHAPE" in spinn-3) NCHIPS=4 ;; spinn-5) NCHIPS=48 ;; *) NCHIPS='[0-9]+' ;; esac
  expect_line "boot (BOOT_IMAGE)" "$C_BOOT" "^Booted SC&MP [0-9.]+ on $NCHIPS chips\$"
fi
expect_line "sver" "$C_SVER" '^SC&MP [0-9.]+ at SpiNNaker:0,0,0 \(built .+\) \[[0-9]+\]$'

if grep -q ':1,1,0 > ' "$WORK/prompt.$C_SVER11" && noerr "$C_SP11" &&
   grep -q -E 'at SpiNNaker:1,1,0 ' "$WORK/out.$C_SVER11"; then
  pass "sp 1 1 + sver" "$(first "$C_SVER11")"
else fail "sp 1 1 + sver" "prompt: $(cat "$WORK/prompt.$C_SVER11") sver: $(show "$C_SVER11")"; fi
if grep -q ':0,0,0 > ' "$WORK/prompt.$C_SVER00" && noerr "$C_SPROOT" &&
   grep -q -E 'at SpiNNaker:0,0,0 ' "$WORK/out.$C_SVER00"; then
  pass "sp root" "back at 0,0,0"
else fail "sp root" "prompt: $(cat "$WORK/prompt.$C_SVER00") out: $(show "$C_SPROOT") sver: $(show "$C_SVER00")"; fi

expect_line "sw write/read" "$C_SW" '^60300000 = deadbeef$'
expect_line "sh write/read" "$C_SH" '^60300010 = 1234$'
expect_line "sb write/read" "$C_SB" '^60300013 = ab$'
expect_line "sh+sb seen as a word" "$C_SHB" '^60300010 = ab001234$'

if [ ! -s "$WORK/out.$C_FILL" ] &&
   grep -q '^60310000 = a5a5a5a5$' "$WORK/out.$C_FILL0" && grep -q '^603100fc = a5a5a5a5$' "$WORK/out.$C_FILL1" &&
   grep -q '^6030fffc = 22222222$' "$WORK/out.$C_FILLB" && grep -q '^60310100 = 11111111$' "$WORK/out.$C_FILLA"; then
  pass "sfill" "256 bytes filled, neighbours untouched"
else fail "sfill" "fill: $(show "$C_FILL") first: $(show "$C_FILL0") last: $(show "$C_FILL1") before: $(show "$C_FILLB") after: $(show "$C_FILLA")"; fi

for blk in a b; do
  if [ "$blk" = a ]; then L=$C_SLOADA; D=$C_SDUMPA; what="5000 B at 0x60320003"; else L=$C_SLOADB; D=$C_SDUMPB; what="65537 B at 0x60400000"; fi
  if [ -s "$WORK/out.$L" ] || [ -s "$WORK/out.$D" ]; then fail "sload/sdump $blk" "$what: $(show "$L") $(show "$D")"
  elif cmp -s "$WORK/blk-$blk.bin" "$WORK/blk-$blk.out"; then pass "sload/sdump $blk" "$what read back equal"
  else fail "sload/sdump $blk" "$what differs: $(cmp "$WORK/blk-$blk.bin" "$WORK/blk-$blk.out" 2>&1 | head -1)"; fi
done

# iptag table: "Tag IP TxPort RxPort T/O Flags Addr Port Count"
ipt_row() { grep -E "^ +$2  " "$WORK/out.$1"; }
ok=1; msg=""
for c in "$C_IPT1" "$C_IPT2" "$C_IPT3"; do [ -s "$WORK/out.$c" ] && { ok=0; msg="$msg set: $(show "$c")"; }; done
grep -q -E '^IPTags=16 \(F=8, T=8\), TTO=' "$WORK/out.$C_IPTAGS" || { ok=0; msg="$msg header: $(first "$C_IPTAGS")"; }
ipt_row "$C_IPTAGS" 1 | grep -q -E '^ +1  127\.0\.0\.1 +40001 +0 ' || { ok=0; msg="$msg tag1: $(ipt_row "$C_IPTAGS" 1)"; }
ipt_row "$C_IPTAGS" 2 | grep -q -E '^ +2  127\.0\.0\.1 +40002 +0 +[0-9.]+ +[TA]*S ' || { ok=0; msg="$msg tag2: $(ipt_row "$C_IPTAGS" 2)"; }
ipt_row "$C_IPTAGS" 3 | grep -q -E '^ +3  [0-9.]+ +[0-9]+ +40003 +[0-9.]+ +[TA]*RS +0x0101 +0x21 ' || { ok=0; msg="$msg tag3: $(ipt_row "$C_IPTAGS" 3)"; }
if [ $ok = 1 ]; then pass "iptag set/strip/reverse" "$(first "$C_IPTAGS")"; else fail "iptag set/strip/reverse" "$msg"; fi
if [ ! -s "$WORK/out.$C_IPTCLR" ] && ! ipt_row "$C_IPTAGS2" 2 >/dev/null && ipt_row "$C_IPTAGS2" 1 >/dev/null && ipt_row "$C_IPTAGS2" 3 >/dev/null; then
  pass "iptag clear" "tag 2 gone, tags 1 and 3 kept"
else fail "iptag clear" "clear: $(show "$C_IPTCLR") table: $(show "$C_IPTAGS2")"; fi

# rtr_dump: "%4d:  %018b %06b  %08x  %08x  %5d  %4d" (entry, cores, links, key, mask, app_id, core)
rtr_ok=1; rtr_msg=""
[ -s "$WORK/out.$C_RTRLOAD" ] && { rtr_ok=0; rtr_msg="rtr_load: $(show "$C_RTRLOAD")"; }
declare -a IDX=()
for spec in "000000000000000010 000001 10000000 ffff0000" "000000000000000100 000010 20000000 ffff0000" "000000000000001000 100100 30000000 ffffff00"; do
  set -- $spec
  line="$(grep -E "^ *[0-9]+:  $1 $2  $3  $4 +$APP_ID +0\$" "$WORK/out.$C_RTRDUMP" | head -1)"
  if [ -z "$line" ]; then rtr_ok=0; rtr_msg="$rtr_msg missing key $3;"; else IDX+=("$(echo "$line" | sed -E 's/^ *([0-9]+):.*/\1/')"); fi
done
if [ ${#IDX[@]} = 3 ] && { [ $((IDX[1] - IDX[0])) != 1 ] || [ $((IDX[2] - IDX[1])) != 1 ]; }; then rtr_ok=0; rtr_msg="$rtr_msg indices not consecutive: ${IDX[*]};"; fi
grep -q -E '^  FR:  [01]{18} [01]{6}$' "$WORK/out.$C_RTRDUMP" || { rtr_ok=0; rtr_msg="$rtr_msg no FR line;"; }
if [ $rtr_ok = 1 ]; then pass "rtr_load/rtr_dump" "entries ${IDX[*]} app $APP_ID"; else fail "rtr_load/rtr_dump" "$rtr_msg dump: $(show "$C_RTRDUMP")"; fi

# heap listing: structural check (chain, free list, free byte count) + the tagged block.
check_heap() { # cmdindex name -> prints problems (nothing if the listing is consistent)
  perl -e '
    my $name = shift; my ($hdr, $total, $sum, $nb, $nf, $lasta, $lastnext, %free) = (0, 0, 0, 0, 0, -1, 0);
    while (<>) {
      if (/^$name (\d+)$/) { $hdr = 1; $total = $1; next }
      if (/^BLOCK +([0-9a-f]+) +Next +([0-9a-f]+) +(\S+)/) {
        my ($a, $nx) = (hex $1, hex $2);
        print "block $1 is not the previous block\x27s next\n" if $nb && $a != $lastnext;
        print "blocks not ascending at $1\n" if $nb && $a <= $lasta;
        $free{$a} = 1 if $3 eq "Free"; ($lasta, $lastnext) = ($a, $nx); $nb++; next }
      if (/^FREE +([0-9a-f]+) +Next +[0-9a-f]+ +Free +[0-9a-f]+ +Size (\d+)$/) {
        $sum += $2; $nf++; print "free-list block $1 is not marked Free in the block list\n" unless $free{hex $1}; next }
    }
    print "no \"$name <free bytes>\" header\n" unless $hdr;
    if (!$nb) { print "no BLOCK lines\n" } elsif ($lastnext) { print "last block has next != 0\n" }
    # SARK counts a freed block with its 8-byte header (sark_alloc.c sark_xfree),
    # so free_bytes may exceed the sum of free sizes by 8 per extra free block.
    print "free list sums to $sum but the header says $total ($nf free blocks)\n"
      if $hdr && ($total < $sum || $total > $sum + 8 * ($nf > 0 ? $nf - 1 : 0));
  ' "$2" "$WORK/out.$1"
}
for h in "SDRAM:$C_HEAPSD" "SysRAM:$C_HEAPSY" "System:$C_HEAPSS"; do
  name="${h%%:*}"; idx="${h##*:}"
  probs="$(check_heap "$idx" "$name")"
  if [ -z "$probs" ] && noerr "$idx"; then pass "heap ${name,,}" "$(grep -c '^BLOCK' "$WORK/out.$idx") blocks, $(grep -E "^$name " "$WORK/out.$idx")"
  else fail "heap ${name,,}" "$(echo "$probs" | tr '\n' ';') $(show "$idx")"; fi
done
if noerr "$C_ALLOC" && grep -q -E "^BLOCK +6[0-7][0-9a-f]{6} +Next +[0-9a-f]+ +Tag +5 ID +$APP_ID +size 1024$" "$WORK/out.$C_HEAPSD"; then
  pass "heap shows allocation" "$(grep -m1 -E "Tag +5 ID +$APP_ID" "$WORK/out.$C_HEAPSD")"
else fail "heap shows allocation" "cmd 28 (alloc 1024 B tag 5 app $APP_ID): $(show "$C_ALLOC"); listing: $(grep -E 'Tag' "$WORK/out.$C_HEAPSD" | tr '\n' '|')"; fi

# ps: "%3d  %-6s %-16s %3d " (core, state, app name, app id)
ps_state() { awk -v c="$2" '$1 == c && NF >= 2 { print $2; exit }' "$WORK/out.$1"; }
ps_id() { sed -E -n "s/^ *$2  [A-Z0-9_-]+ +.{16} +([0-9]+) .*/\1/p" "$WORK/out.$1" | head -1; }
ps_expect() { # name cmdindex state-of-cores-1-3 app_id
  local bad=""
  [ "$(grep -c -E '^ *[0-9]+  ' "$WORK/out.$2")" = 18 ] || bad="$bad not 18 core lines;"
  [ "$(ps_state "$2" 0)" = RUN ] || bad="$bad core 0 is $(ps_state "$2" 0), not RUN;"
  for c in 1 2 3; do
    [ "$(ps_state "$2" $c)" = "$3" ] || bad="$bad core $c is $(ps_state "$2" $c), not $3;"
    [ "$(ps_id "$2" $c)" = "$4" ] || bad="$bad core $c app_id $(ps_id "$2" $c), not $4;"
  done
  [ "$(ps_state "$2" 4)" = IDLE ] || bad="$bad core 4 is $(ps_state "$2" 4), not IDLE;"
  if [ -z "$bad" ] && noerr "$2"; then pass "$1" "cores 1-3 $3, app_id $4"; else fail "$1" "$bad $(errs "$2")"; fi
}
ps_expect "ps (before load)" "$C_PS0" IDLE 0
if [ "$SCAMP" = 3.1.0 ]; then
  if noerr "$C_APPLOAD"; then pass "app_load" "no error"; else fail "app_load" "$(show "$C_APPLOAD")"; fi
  ps_expect "ps after app_load wait" "$C_PSW" WAIT "$APP_ID"
  expect_line "app_sig count ready" "$C_CNTW" '^Count 3$'
  if noerr "$C_SIGSTART"; then ps_expect "app_sig start + ps" "$C_PSR" RUN "$APP_ID"; else fail "app_sig start + ps" "$(show "$C_SIGSTART")"; fi
  expect_line "ps 2 (long form)" "$C_PSL" "^Core  2: app \".*\", state RUN, app_id $APP_ID, running "
  expect_line "app_sig count run" "$C_CNTR" '^Count 3$'
  if noerr "$C_SIGPAUSE"; then ps_expect "app_sig pause + ps" "$C_PSP" PAUSE "$APP_ID"; else fail "app_sig pause + ps" "$(show "$C_SIGPAUSE")"; fi
  if noerr "$C_SIGCONT"; then ps_expect "app_sig cont + ps" "$C_PSC" RUN "$APP_ID"; else fail "app_sig cont + ps" "$(show "$C_SIGCONT")"; fi
  if noerr "$C_SIGSTOP"; then ps_expect "app_sig stop + ps" "$C_PSS" IDLE 0; else fail "app_sig stop + ps" "$(show "$C_SIGSTOP")"; fi
  expect_line "app_sig count after stop" "$C_CNTS" '^Count 0$'
  if grep -q -E "Tag +5 ID +$APP_ID" "$WORK/out.$C_HEAPSD2"; then fail "stop frees app's SDRAM" "block tag 5 app $APP_ID still listed"
  elif ! noerr "$C_HEAPSD2" || [ -n "$(check_heap "$C_HEAPSD2" SDRAM)" ]; then fail "stop frees app's SDRAM" "$(check_heap "$C_HEAPSD2" SDRAM | tr '\n' ';') $(errs "$C_HEAPSD2")"
  else pass "stop frees app's SDRAM" "$(grep -E '^SDRAM ' "$WORK/out.$C_HEAPSD2")"; fi
else
  # SC&MP 4.0.0: FFS no longer arms loading (scamp-nn.c nn_cmd_ffs), so ybug's
  # FFS+FFD+FFE starts nothing; P2P signals (count) are refused with RC_ARG.
  if noerr "$C_APPLOAD"; then pass "app_load (4.0.0)" "accepted"; else fail "app_load (4.0.0)" "$(show "$C_APPLOAD")"; fi
  ps_expect "ps after app_load (4.0.0: nothing starts)" "$C_PSW" IDLE 0
  # ybug tries up to 16 chips, skips each on an RC_ error, then reports the region unreachable.
  if grep -q '^Region all is unreachable$' "$WORK/out.$C_CNTW" && grep -q '^error: error RC_ARG$' "$WORK/out.$C_CNTW"; then
    pass "app_sig count (4.0.0: RC_ARG)" "refused with RC_ARG as SC&MP 4.0.0 does"
  else fail "app_sig count (4.0.0: RC_ARG)" "expected 'Region all is unreachable' + 'error: error RC_ARG', got: $(show "$C_CNTW")"; fi
fi
for l in "$C_LED1:led 0 on" "$C_LED2:led 1 off" "$C_LED3:led 01 inv"; do expect_quiet "${l#*:}" "${l%%:*}"; done

echo "ybug: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
