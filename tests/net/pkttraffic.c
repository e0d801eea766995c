// SPDX-License-Identifier: GPL-2.0
/*
 * pkttraffic: raw Ethernet traffic from one NIC to another through the QEMU
 * hub, for the net scenario (tests/scenarios/net.sh).
 *
 *   pkttraffic TXIF RXIF STOPFILE
 *
 * Sends one numbered frame (ethertype 0x88b5) every millisecond from TXIF to
 * RXIF's MAC address until STOPFILE exists, waits for the frames in flight,
 * and prints one line:
 *
 *   sent=N txerr=N received=N lost=N linkdown_lost=N sock_drops=N dup=N
 *   reordered=N pause_ms=N
 *   [lost_seq=FIRST-LAST]
 *
 * A frame sent while either NIC's operstate is not "up" (e1000 renegotiates its
 * link for a second or two after every resume) is dropped by the stack by
 * design; such frames are counted as linkdown_lost, not as lost.  pause_ms
 * is the longest time (CLOCK_BOOTTIME, so including time asleep) between
 * two received frames: the sleep transition.  sock_drops counts frames the
 * receiving socket itself dropped (it should be 0: the buffer is 8 MiB).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ETH_P_TEST	0x88b5
#define MAGIC		0x74777068u	/* "twph" */
#define MAX_SEQ		(1u << 22)

struct frame {
	struct ether_header eth;
	uint32_t magic;
	uint32_t seq;
	char pad[40];
} __attribute__((packed));

struct rxstats {
	unsigned long received, dup, reordered, pause_ms, sock_drops;
	uint8_t seen[MAX_SEQ];
	uint8_t linkdown[MAX_SEQ];
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int open_if(const char *name, uint8_t mac[ETH_ALEN])
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_TEST));
	if (fd < 0)
		die("socket(AF_PACKET)");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die(name);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	sll.sll_protocol = htons(ETH_P_TEST);
	sll.sll_ifindex = if_nametoindex(name);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die(name);
	return fd;
}

/*
 * Is interface @name's link up for the stack?  operstate turns "up" in the
 * linkwatch work that also activates the qdisc, so until then frames are
 * dropped by design.  An unreadable file counts as down.
 */
static bool link_up(const char *name)
{
	char path[128], state[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(state, sizeof(state), f))
			state[0] = '\0';
		fclose(f);
	}
	return !strcmp(state, "up\n");
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t stop_rx;

static void on_term(int sig __attribute__((unused)))
{
	stop_rx = 1;
}

static void receive(int fd, struct rxstats *st)
{
	struct timeval tv = { .tv_usec = 100000 };
	struct tpacket_stats ps;
	socklen_t len = sizeof(ps);
	int rcvbuf = 8 << 20;
	long last = 0, t;
	uint32_t maxseq = 0;
	struct frame f;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* A receiver that is not scheduled for a while must not drop frames. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	while (!stop_rx) {
		n = recv(fd, &f, sizeof(f), 0);
		if (n < (ssize_t)sizeof(f) || f.magic != htonl(MAGIC))
			continue;
		f.seq = ntohl(f.seq);
		if (f.seq >= MAX_SEQ)
			continue;
		t = now_ms();
		if (last && t - last > (long)st->pause_ms)
			st->pause_ms = t - last;
		last = t;
		if (st->seen[f.seq]++) {
			st->dup++;
			continue;
		}
		st->received++;
		if (f.seq < maxseq)
			st->reordered++;
		else
			maxseq = f.seq;
	}
	if (!getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &ps, &len))
		st->sock_drops = ps.tp_drops;
}

int main(int argc, char **argv)
{
	struct timespec gap = { .tv_nsec = 1000000 };
	uint8_t txmac[ETH_ALEN], rxmac[ETH_ALEN];
	unsigned long sent = 0, txerr = 0, lost = 0, linkdown_lost = 0, i;
	unsigned long first_lost = 0, last_lost = 0;
	struct rxstats *st;
	struct frame f;
	int txfd, rxfd;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: %s TXIF RXIF STOPFILE\n", argv[0]);
		return 2;
	}
	txfd = open_if(argv[1], txmac);
	rxfd = open_if(argv[2], rxmac);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		die("mmap");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		signal(SIGTERM, on_term);
		receive(rxfd, st);
		_exit(0);
	}

	memset(&f, 0, sizeof(f));
	memcpy(f.eth.ether_dhost, rxmac, ETH_ALEN);
	memcpy(f.eth.ether_shost, txmac, ETH_ALEN);
	f.eth.ether_type = htons(ETH_P_TEST);
	f.magic = htonl(MAGIC);
	while (access(argv[3], F_OK) && sent < MAX_SEQ) {
		f.seq = htonl(sent);
		st->linkdown[sent] = !link_up(argv[1]) || !link_up(argv[2]);
		if (send(txfd, &f, sizeof(f), 0) == sizeof(f))
			sent++;
		else
			txerr++;
		nanosleep(&gap, NULL);
	}
	/* Let the frames in flight arrive. */
	sleep(1);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	for (i = 0; i < sent; i++) {
		if (st->seen[i])
			continue;
		if (st->linkdown[i]) {
			linkdown_lost++;
		} else {
			if (!lost++)
				first_lost = i;
			last_lost = i;
		}
	}
	printf("sent=%lu txerr=%lu received=%lu lost=%lu linkdown_lost=%lu sock_drops=%lu dup=%lu reordered=%lu pause_ms=%lu",
	       sent, txerr, st->received, lost, linkdown_lost, st->sock_drops,
	       st->dup, st->reordered, st->pause_ms);
	if (lost)
		printf(" lost_seq=%lu-%lu", first_lost, last_lost);
	printf("\n");
	return 0;
}
