/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * xfrm-sa-shim: LD_PRELOAD library for the isakmpstate capture lab.
 *
 * The lab kernel has XFRM policies but no ESP/AH/IPComp transforms, so
 * "ip xfrm state add ... proto esp" fails and an IKE daemon cannot install
 * the IPsec SAs it negotiated: every successful quick mode would end in a
 * failure that has nothing to do with IKE.  This library is loaded into
 * charon and pluto and answers the XFRM *SA* requests itself:
 *
 *   ALLOCSPI            -> a NEWSA reply carrying a random SPI in [min, max]
 *   NEWSA, UPDSA, DELSA, FLUSHSA, NEWAE
 *                       -> an ACK with error 0 (when the daemon asked for one)
 *   GETSA               -> a NEWSA reply with zero counters
 *   GETAE               -> ACK error -ENOENT
 *
 * Everything else (policies, events, SPD info...) goes to the kernel
 * unchanged.  The IKE packets on the wire stay the daemons' own.
 *
 * How: the SA request is rewritten into an NLMSG_NOOP with the same
 * sequence number (with NLM_F_ACK when a reply is expected), so the kernel
 * itself answers it with an ACK and the socket becomes readable as usual
 * (poll/select keep working).  When that ACK is read back through
 * recv/recvfrom/recvmsg/read, it is replaced by the answer the daemon
 * expects.
 *
 * Build: gcc -shared -fPIC -O2 -o xfrm-sa-shim.so xfrm-sa-shim.c -ldl
 * Log:   XFRM_SHIM_LOG=/path/file appends one line per intercepted request.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 64
#define MAX_PENDING 128

struct pending {
	int used;
	int fd;
	uint32_t seq;
	uint16_t type;      /* original XFRM message type */
	uint16_t flags;     /* original flags */
	union {
		struct xfrm_userspi_info spi;
		struct xfrm_usersa_id id;
	} req;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int xfrm_fds[MAX_FDS];
static int n_xfrm_fds;
static struct pending pend[MAX_PENDING];

static int (*real_socket)(int, int, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_close)(int);

static void init_syms(void)
{
	if (real_socket)
		return;
	real_send = dlsym(RTLD_NEXT, "send");
	real_sendto = dlsym(RTLD_NEXT, "sendto");
	real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	real_write = dlsym(RTLD_NEXT, "write");
	real_recv = dlsym(RTLD_NEXT, "recv");
	real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
	real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
	real_read = dlsym(RTLD_NEXT, "read");
	real_close = dlsym(RTLD_NEXT, "close");
	real_socket = dlsym(RTLD_NEXT, "socket");
}

static void shim_log(const char *fmt, ...)
{
	const char *path = getenv("XFRM_SHIM_LOG");
	char buf[512];
	va_list ap;
	int fd, n;

	if (!path)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		real_write(fd, buf, n);
		real_close(fd);
	}
}

static int is_xfrm_fd(int fd)
{
	int i, r = 0;

	if (fd < 0)
		return 0;
	pthread_mutex_lock(&lock);
	for (i = 0; i < n_xfrm_fds; i++)
		if (xfrm_fds[i] == fd)
			r = 1;
	pthread_mutex_unlock(&lock);
	return r;
}

static void forget_fd(int fd)
{
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < n_xfrm_fds; i++)
		if (xfrm_fds[i] == fd) {
			xfrm_fds[i] = xfrm_fds[--n_xfrm_fds];
			break;
		}
	for (i = 0; i < MAX_PENDING; i++)
		if (pend[i].used && pend[i].fd == fd)
			pend[i].used = 0;
	pthread_mutex_unlock(&lock);
}

int socket(int domain, int type, int protocol)
{
	int fd;

	init_syms();
	fd = real_socket(domain, type, protocol);
	if (fd >= 0 && domain == AF_NETLINK && protocol == NETLINK_XFRM) {
		pthread_mutex_lock(&lock);
		if (n_xfrm_fds < MAX_FDS)
			xfrm_fds[n_xfrm_fds++] = fd;
		pthread_mutex_unlock(&lock);
	}
	return fd;
}

int close(int fd)
{
	init_syms();
	if (is_xfrm_fd(fd))
		forget_fd(fd);
	return real_close(fd);
}

static int is_sa_msg(uint16_t t)
{
	switch (t) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
	case XFRM_MSG_DELSA:
	case XFRM_MSG_GETSA:
	case XFRM_MSG_ALLOCSPI:
	case XFRM_MSG_FLUSHSA:
	case XFRM_MSG_NEWAE:
	case XFRM_MSG_GETAE:
		return 1;
	}
	return 0;
}

static const char *type_name(uint16_t t)
{
	switch (t) {
	case XFRM_MSG_NEWSA: return "NEWSA";
	case XFRM_MSG_UPDSA: return "UPDSA";
	case XFRM_MSG_DELSA: return "DELSA";
	case XFRM_MSG_GETSA: return "GETSA";
	case XFRM_MSG_ALLOCSPI: return "ALLOCSPI";
	case XFRM_MSG_FLUSHSA: return "FLUSHSA";
	case XFRM_MSG_NEWAE: return "NEWAE";
	case XFRM_MSG_GETAE: return "GETAE";
	}
	return "?";
}

static uint32_t random_spi(uint32_t min, uint32_t max)
{
	static uint32_t state;
	uint32_t r;

	if (!state)
		state = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	r = state;
	if (min < 0x100)
		min = 0x100;
	if (max <= min)
		return min;
	return min + r % (max - min + 1);
}

/* Rewrite the SA requests of one outgoing buffer in place (a private copy).
 * Returns 1 when something was rewritten. */
static int rewrite_out(int fd, unsigned char *buf, size_t len)
{
	struct nlmsghdr *h;
	int changed = 0, rem = (int)len;

	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
		uint16_t t = h->nlmsg_type;
		int want_reply;
		struct pending *p = NULL;
		int i;

		if (!is_sa_msg(t))
			continue;
		want_reply = (h->nlmsg_flags & NLM_F_ACK) || t == XFRM_MSG_ALLOCSPI ||
			     t == XFRM_MSG_GETSA || t == XFRM_MSG_GETAE;
		pthread_mutex_lock(&lock);
		for (i = 0; i < MAX_PENDING; i++)
			if (!pend[i].used) {
				p = &pend[i];
				break;
			}
		if (p && want_reply) {
			memset(p, 0, sizeof(*p));
			p->used = 1;
			p->fd = fd;
			p->seq = h->nlmsg_seq;
			p->type = t;
			p->flags = h->nlmsg_flags;
			if (t == XFRM_MSG_ALLOCSPI &&
			    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct xfrm_userspi_info)))
				memcpy(&p->req.spi, NLMSG_DATA(h), sizeof(p->req.spi));
			if ((t == XFRM_MSG_GETSA || t == XFRM_MSG_DELSA) &&
			    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct xfrm_usersa_id)))
				memcpy(&p->req.id, NLMSG_DATA(h), sizeof(p->req.id));
		}
		pthread_mutex_unlock(&lock);
		shim_log("pid %d fd %d seq %u: %s%s answered by the shim", (int)getpid(), fd,
			 h->nlmsg_seq, type_name(t), want_reply ? " (reply expected)" : "");
		h->nlmsg_type = NLMSG_NOOP;
		h->nlmsg_flags = NLM_F_REQUEST | (want_reply ? NLM_F_ACK : 0);
		changed = 1;
	}
	return changed;
}

static int take_pending(int fd, uint32_t seq, struct pending *out, int peek)
{
	int i, r = 0;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_PENDING; i++)
		if (pend[i].used && pend[i].fd == fd && pend[i].seq == seq) {
			*out = pend[i];
			if (!peek)
				pend[i].used = 0;
			r = 1;
			break;
		}
	pthread_mutex_unlock(&lock);
	return r;
}

/* Build the daemon's expected answer for one pending request in dst
 * (capacity cap); returns its length, 0 if it does not fit. */
static size_t build_reply(const struct pending *p, const struct nlmsghdr *ack,
			  unsigned char *dst, size_t cap)
{
	struct nlmsghdr *h = (struct nlmsghdr *)dst;

	if (p->type == XFRM_MSG_ALLOCSPI || p->type == XFRM_MSG_GETSA) {
		struct xfrm_usersa_info *sa;
		size_t l = NLMSG_SPACE(sizeof(*sa));

		if (l > cap)
			return 0;
		memset(dst, 0, l);
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*sa));
		h->nlmsg_type = XFRM_MSG_NEWSA;
		h->nlmsg_flags = 0;
		h->nlmsg_seq = ack->nlmsg_seq;
		h->nlmsg_pid = ack->nlmsg_pid;
		sa = NLMSG_DATA(h);
		if (p->type == XFRM_MSG_ALLOCSPI) {
			*sa = p->req.spi.info;
			sa->id.spi = htonl(random_spi(p->req.spi.min, p->req.spi.max));
			shim_log("pid %d seq %u: ALLOCSPI -> spi 0x%08x", (int)getpid(),
				 ack->nlmsg_seq, ntohl(sa->id.spi));
		} else {
			sa->id.daddr = p->req.id.daddr;
			sa->id.spi = p->req.id.spi;
			sa->id.proto = p->req.id.proto;
			sa->family = p->req.id.family;
			sa->lft.soft_byte_limit = XFRM_INF;
			sa->lft.hard_byte_limit = XFRM_INF;
			sa->lft.soft_packet_limit = XFRM_INF;
			sa->lft.hard_packet_limit = XFRM_INF;
		}
		return l;
	} else {
		struct nlmsgerr *e;
		size_t l = NLMSG_SPACE(sizeof(*e));

		if (l > cap)
			return 0;
		memcpy(dst, ack, l < ack->nlmsg_len ? l : ack->nlmsg_len);
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
		e = NLMSG_DATA(h);
		e->error = p->type == XFRM_MSG_GETAE ? -ENOENT : 0;
		e->msg.nlmsg_type = p->type;
		e->msg.nlmsg_flags = p->flags;
		return l;
	}
}

/* Replace the kernel's ACKs for our NOOPs in buf[0..len) (capacity cap). */
static ssize_t rewrite_in(int fd, unsigned char *buf, ssize_t len, size_t cap, int peek)
{
	unsigned char out[16384];
	size_t o = 0;
	int rem = (int)len, changed = 0;
	struct nlmsghdr *h;

	if (len <= 0 || (size_t)len > sizeof(out))
		return len;
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
		struct pending p;
		struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) &&
		    e->msg.nlmsg_type == NLMSG_NOOP && take_pending(fd, h->nlmsg_seq, &p, peek)) {
			size_t l = build_reply(&p, h, out + o, sizeof(out) - o);

			if (l) {
				o += l;
				changed = 1;
				continue;
			}
		}
		if (o + NLMSG_ALIGN(h->nlmsg_len) > sizeof(out))
			return len;
		memcpy(out + o, h, h->nlmsg_len);
		o += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (!changed)
		return len;
	if (o > cap)
		o = cap;
	memcpy(buf, out, o);
	return (ssize_t)o;
}

static ssize_t send_rewritten(int fd, const void *b, size_t n, int flags,
			      const struct sockaddr *a, socklen_t al, int which)
{
	unsigned char *copy;
	ssize_t r;

	copy = malloc(n ? n : 1);
	if (!copy)
		return -1;
	memcpy(copy, b, n);
	rewrite_out(fd, copy, n);
	if (which == 0)
		r = real_sendto(fd, copy, n, flags, a, al);
	else
		r = real_write(fd, copy, n);
	free(copy);
	return r;
}

ssize_t send(int fd, const void *b, size_t n, int flags)
{
	init_syms();
	if (is_xfrm_fd(fd))
		return send_rewritten(fd, b, n, flags, NULL, 0, 0);
	return real_send(fd, b, n, flags);
}

ssize_t sendto(int fd, const void *b, size_t n, int flags, const struct sockaddr *a, socklen_t al)
{
	init_syms();
	if (is_xfrm_fd(fd))
		return send_rewritten(fd, b, n, flags, a, al, 0);
	return real_sendto(fd, b, n, flags, a, al);
}

ssize_t write(int fd, const void *b, size_t n)
{
	init_syms();
	if (is_xfrm_fd(fd))
		return send_rewritten(fd, b, n, 0, NULL, 0, 1);
	return real_write(fd, b, n);
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	init_syms();
	if (is_xfrm_fd(fd) && m->msg_iovlen >= 1) {
		size_t n = 0, i, o = 0;
		unsigned char *copy;
		struct msghdr m2 = *m;
		struct iovec iov;
		ssize_t r;

		for (i = 0; i < m->msg_iovlen; i++)
			n += m->msg_iov[i].iov_len;
		copy = malloc(n ? n : 1);
		if (!copy)
			return -1;
		for (i = 0; i < m->msg_iovlen; i++) {
			memcpy(copy + o, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
			o += m->msg_iov[i].iov_len;
		}
		rewrite_out(fd, copy, n);
		iov.iov_base = copy;
		iov.iov_len = n;
		m2.msg_iov = &iov;
		m2.msg_iovlen = 1;
		r = real_sendmsg(fd, &m2, flags);
		free(copy);
		return r;
	}
	return real_sendmsg(fd, m, flags);
}

ssize_t recv(int fd, void *b, size_t n, int flags)
{
	ssize_t r;

	init_syms();
	r = real_recv(fd, b, n, flags);
	if (r > 0 && is_xfrm_fd(fd))
		r = rewrite_in(fd, b, r > (ssize_t)n ? (ssize_t)n : r, n, flags & MSG_PEEK);
	return r;
}

ssize_t recvfrom(int fd, void *b, size_t n, int flags, struct sockaddr *a, socklen_t *al)
{
	ssize_t r;

	init_syms();
	r = real_recvfrom(fd, b, n, flags, a, al);
	if (r > 0 && is_xfrm_fd(fd))
		r = rewrite_in(fd, b, r > (ssize_t)n ? (ssize_t)n : r, n, flags & MSG_PEEK);
	return r;
}

ssize_t read(int fd, void *b, size_t n)
{
	ssize_t r;

	init_syms();
	r = real_read(fd, b, n);
	if (r > 0 && is_xfrm_fd(fd))
		r = rewrite_in(fd, b, r, n, 0);
	return r;
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	ssize_t r;

	init_syms();
	r = real_recvmsg(fd, m, flags);
	if (r > 0 && is_xfrm_fd(fd) && m->msg_iovlen >= 1) {
		size_t cap = m->msg_iov[0].iov_len;

		if ((size_t)r <= cap)
			r = rewrite_in(fd, m->msg_iov[0].iov_base, r, cap, flags & MSG_PEEK);
	}
	return r;
}
