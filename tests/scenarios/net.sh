# net:TRANSITION: raw Ethernet frames from eth0 to eth1 (two e1000 NICs on
# one QEMU hub, nothing leaves QEMU) flow before TRANSITION, stop cleanly
# during it and flow again after it.  No frame may be lost beyond those in
# flight when the sender was frozen (frames sent while a link is still down
# after resume are dropped by the stack by design and counted apart, as
# linkdown_lost); a TX timeout fails the scenario (scripts/vm.py watches the
# console).
name="net:$1"
tp_begin "$name"
rx=/sys/class/net/eth1/statistics/rx_packets
if ! ip link set eth0 up || ! ip link set eth1 up; then
	tp_end "$name" fail "cannot bring eth0 and eth1 up"
	exit
fi
i=0
while [ "$(cat /sys/class/net/eth0/operstate)" != up ] ||
      [ "$(cat /sys/class/net/eth1/operstate)" != up ]; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		tp_end "$name" fail "eth0/eth1 links not up after 10 s"
		exit
	fi
	sleep 0.1
done
rm -f /tmp/net.stop
pkttraffic eth0 eth1 /tmp/net.stop >/tmp/net.out 2>&1 &
pid=$!
rx0=$(cat $rx)
sleep 2
rx1=$(cat $rx)
if tp_enter "$name" "$1"; then
	rx2=$(cat $rx)
	sleep 2
	rx3=$(cat $rx)
	entered=1
else
	entered=0
fi
touch /tmp/net.stop
wait $pid
s=/sys/class/net
out="$(cat /tmp/net.out) eth0_tx_dropped=$(cat $s/eth0/statistics/tx_dropped) eth1_rx_missed=$(cat $s/eth1/statistics/rx_missed_errors) eth1_rx_dropped=$(cat $s/eth1/statistics/rx_dropped)"
[ $entered = 1 ] || exit
# sent=N txerr=N received=N lost=N linkdown_lost=N sock_drops=N dup=N reordered=N pause_ms=N
for kv in $out; do
	case $kv in
	sent=*|txerr=*|received=*|lost=*|linkdown_lost=*|sock_drops=*|dup=*|reordered=*|pause_ms=*) eval "$kv" ;;
	esac
done
if [ -z "${lost:-}" ]; then
	tp_end "$name" fail "pkttraffic: $out"
elif [ $((rx1 - rx0)) -lt 100 ]; then
	tp_end "$name" fail "no traffic before $1: eth1 received $((rx1 - rx0)) frames in 2 s; $out"
elif [ $((rx3 - rx2)) -lt 100 ]; then
	tp_end "$name" fail "no traffic after $1: eth1 received $((rx3 - rx2)) frames in 2 s; $out"
elif [ "$lost" -gt 4 ] || [ "$dup" -ne 0 ] || [ "$reordered" -ne 0 ]; then
	tp_end "$name" fail "$out"
else
	tp_devices_ok "$name" && tp_end "$name" ok "$out"
fi
