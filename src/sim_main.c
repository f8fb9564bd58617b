/*
 * sim_main.c: bordercop-sim, the coordination API v1 simulator.
 *
 * Runs the seeded scenario on the border map, advances it every tick
 * (simulated time runs --speed times real time) and serves it on
 * loopback through server.c.  The main thread owns the clock; signal
 * handlers only set flags.
 */
#include "config.h"

#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "border.h"
#include "map.h"
#include "scenario.h"
#include "server.h"
#include "status.h"
#include "util.h"
#include "xmalloc.h"

#define SIM_TOKEN_MAX	4096	/* bytes in a token file */
/* A full answer takes about 270 bytes per unit: more units than this
   would pass the client's 32 MiB cap on a message (FEED_MAX_BYTES). */
#define SIM_UNITS_MAX	100000

/* Options: long name, argument, help text (also the man page's list). */
#define SIM_OPTIONS(X)							\
	X(LISTEN, "listen", "ADDR:PORT",					\
	    "listen there (default 127.0.0.1:8480; port 0: any free port)") \
	X(SEED, "seed", "N", "scenario seed (default 1)")		\
	X(UNITS, "units", "N", "number of units (default 300, at most 100000)") \
	X(SPEED, "speed", "X", "simulated seconds per real second (default 1)") \
	X(TICK, "tick", "S", "seconds between published versions (default 5)") \
	X(START, "start", "TIME", "simulated start, RFC 3339 (default now)") \
	X(MAP, "map", "FILE", "border map (default the installed one)")	\
	X(TOKEN_FILE, "token-file", "[SIDE=]FILE",			\
	    "require this bearer token (file mode 0600); SIDE=: a "	\
	    "partition")						\
	X(INSTANCE, "instance", "TAG", "cursor tag of this run (default random)") \
	X(FAULT, "fault", "KIND[,KIND]",				\
	    "inject faults: delay, status, truncate, garbage, slow")	\
	X(FAULT_RATE, "fault-rate", "P", "share of requests faulted (default 1)") \
	X(FAULT_AFTER, "fault-after", "N", "first N requests are healthy") \
	X(FAULT_COUNT, "fault-count", "N", "stop faults after N (default never)") \
	X(FAULT_DELAY, "fault-delay", "MS", "delay of the delay fault (default 2000)") \
	X(FAULT_STATUS, "fault-status", "CODE", "500 or 503 (default 503)") \
	X(RETRY_AFTER, "retry-after", "S", "Retry-After of the status fault") \
	X(FAULT_SLOW_BPS, "fault-slow-bps", "N",			\
	    "bytes per second of the slow fault (default 256)")		\
	X(HELP, "help", NULL, "show this help and exit")		\
	X(VERSION, "version", NULL, "show the version and exit")

enum sim_opt {
	SIM_OPT_BASE = 256,
#define X(id, name, arg, help) OPT_##id,
	SIM_OPTIONS(X)
#undef X
};

static const struct option sim_longopts[] = {
#define X(id, name, arg, help) \
	{ name, (arg) != NULL ? required_argument : no_argument, NULL, OPT_##id },
	SIM_OPTIONS(X)
#undef X
	{ NULL, 0, NULL, 0 }
};

static volatile sig_atomic_t sim_quit;
static volatile sig_atomic_t sim_toggle;

static void
sim_signal(int sig)
{
	if (sig == SIGUSR1)
		sim_toggle = 1;
	else
		sim_quit = 1;
}

static void
sim_usage(FILE *f)
{
	char	buf[64];

	fprintf(f, "usage: bordercop-sim [options]\n"
	    "Serve coordination API v1 from a simulated patrol scenario.\n\n");
#define X(id, name, arg, help)						\
	snprintf(buf, sizeof buf, "--%s%s%s", name, (arg) ? " " : "",	\
	    (arg) ? (const char *)(arg) : "");				\
	fprintf(f, "  %-26s %s\n", buf, help);
	SIM_OPTIONS(X)
#undef X
}

static int sim_die(enum bc_status, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Say why on stderr; the exit status: 2 for usage, 1 otherwise. */
static int
sim_die(enum bc_status st, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "bordercop-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return (st == BC_USAGE ? 2 : 1);
}

static int
sim_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return (-1);
	*out = v;
	return (0);
}

static int
sim_double(const char *s, double lo, double hi, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
		return (-1);
	*out = v;
	return (0);
}

/* "ADDR:PORT" or "[ADDR6]:PORT". */
static int
sim_listen(const char *s, char *addr, size_t len, unsigned *port)
{
	const char	*colon, *a;
	size_t		 n;
	unsigned long	 p;

	colon = strrchr(s, ':');
	if (colon == NULL || sim_ulong(colon + 1, 65535, &p) != 0)
		return (-1);
	a = s;
	n = (size_t)(colon - s);
	if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
		a++;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return (-1);
	memcpy(addr, a, n);
	addr[n] = '\0';
	*port = (unsigned)p;
	return (0);
}

static unsigned
sim_faults(const char *s)
{
	const char	*p, *end;
	unsigned	 bits;
	size_t		 n;
	int		 k, found;

	bits = 0;
	n = strlen(s);
	if (n == 0 || s[n - 1] == ',')
		return (0);		/* "status,": a kind is missing */
	for (p = s; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		found = 0;
		for (k = 0; k < FAULT_COUNT; k++) {
			if (strlen(server_fault_names[k]) == n &&
			    strncmp(p, server_fault_names[k], n) == 0) {
				bits |= 1u << k;
				found = 1;
			}
		}
		if (!found)
			return (0);
	}
	return (bits);
}

/*
 * Read the bearer token.  A token file that group or others may read is
 * refused: the token would not be a secret.
 */
static enum bc_status
sim_token(const char *path, char **out, char *why, size_t whylen)
{
	struct stat	 st;
	char		 buf[SIM_TOKEN_MAX + 1];
	ssize_t		 n;
	size_t		 len, i;
	int		 fd;

	/* O_NONBLOCK: a FIFO must not hang the start (it is refused). */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		return (BC_IO);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		bc_why(why, whylen, "%s: not a regular file", path);
		close(fd);
		return (BC_IO);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		bc_why(why, whylen, "token file %s is open to group or others "
		    "(mode %04o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		return (BC_AUTH);
	}
	len = 0;
	while (len < sizeof buf &&
	    (n = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len > SIM_TOKEN_MAX) {
		bc_why(why, whylen, "%s: token longer than %d bytes", path,
		    SIM_TOKEN_MAX);
		explicit_bzero(buf, sizeof buf);
		return (BC_TOOBIG);
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	for (i = 0; i < len; i++) {
		if ((unsigned char)buf[i] <= 0x20 ||
		    (unsigned char)buf[i] >= 0x7f) {
			bc_why(why, whylen, "%s: the token has spaces or "
			    "control characters", path);
			explicit_bzero(buf, sizeof buf);
			return (BC_FORMAT);
		}
	}
	if (len == 0) {
		bc_why(why, whylen, "%s: empty token", path);
		return (BC_FORMAT);
	}
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
	/* No core dump with the token in it (see poll.c). */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	*out = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return (BC_OK);
}

/* A random instance tag, so that cursors of another run are unknown. */
static void
sim_tag(char *buf, size_t len)
{
	static const char	 digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct timespec		 ts;
	uint64_t		 r;
	size_t			 i;

	if (getentropy(&r, sizeof r) != 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		r = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		    ((uint64_t)getpid() << 40);
	}
	for (i = 0; i < 6 && i + 1 < len; i++, r /= 36)
		buf[i] = digits[r % 36];
	buf[i] = '\0';
}

static double
sim_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	struct server_config	 cfg;
	struct server		*srv;
	struct scenario		*sc;
	struct border_map	*map;
	struct sigaction	 sa;
	sigset_t		 set, old;
	struct timespec		 ts;
	char			 why[1024], addr[128], tag[16], mapbuf[4096];
	const char		*mappath = NULL, *tokpath = NULL;
	const char		*sidepath[NSIDES] = { NULL, NULL };
	char			 sidecode[NSIDES][8];
	char			*token = NULL, *side_token[NSIDES] = { NULL, NULL };
	const char		*eq;
	size_t			 k;
	unsigned long		 ul;
	uint64_t		 seed = 1;
	size_t			 nunits = SCENARIO_DEFAULT_UNITS;
	double			 speed = 1, start, t0, wait, next;
	enum bc_status		 st;
	int			 c, side, have_start = 0;

	memset(&cfg, 0, sizeof cfg);
	snprintf(addr, sizeof addr, "127.0.0.1");
	cfg.port = 8480;
	cfg.tick_s = 5;
	cfg.fault_rate = 1;
	cfg.fault_delay_ms = 2000;
	cfg.fault_status = 503;
	cfg.fault_slow_bps = 256;
	sim_tag(tag, sizeof tag);
	start = 0;

	while ((c = getopt_long(argc, argv, "", sim_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN:
			if (sim_listen(optarg, addr, sizeof addr,
			    &cfg.port) != 0)
				return (sim_die(BC_USAGE,
				    "--listen %s: want ADDR:PORT", optarg));
			break;
		case OPT_SEED:
			if (sim_ulong(optarg, ULONG_MAX, &ul) != 0)
				return (sim_die(BC_USAGE,
				    "--seed %s: want a number", optarg));
			seed = ul;
			break;
		case OPT_UNITS:
			if (sim_ulong(optarg, SIM_UNITS_MAX, &ul) != 0 ||
			    ul == 0)
				return (sim_die(BC_USAGE,
				    "--units %s: want 1 to %d", optarg,
				    SIM_UNITS_MAX));
			nunits = ul;
			break;
		case OPT_SPEED:
			if (sim_double(optarg, 0, 1e6, &speed) != 0)
				return (sim_die(BC_USAGE,
				    "--speed %s: want 0 to 1e6", optarg));
			break;
		case OPT_TICK:
			if (sim_double(optarg, 0.05, 86400, &cfg.tick_s) != 0)
				return (sim_die(BC_USAGE,
				    "--tick %s: want 0.05 to 86400 s", optarg));
			break;
		case OPT_START:
			if (time_parse_rfc3339(optarg, &start) != 0)
				return (sim_die(BC_USAGE,
				    "--start %s: want an RFC 3339 time",
				    optarg));
			have_start = 1;
			break;
		case OPT_MAP:
			mappath = optarg;
			break;
		case OPT_TOKEN_FILE:
			/* SIDE=FILE: a side code (letters) before '='. */
			eq = strchr(optarg, '=');
			if (eq != NULL && eq > optarg && (size_t)(eq - optarg) <
			    8 && strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
			    (size_t)(eq - optarg)) {
				for (k = 0; k < NSIDES && sidepath[k] != NULL;
				    k++)
					if (strncmp(sidecode[k], optarg,
					    (size_t)(eq - optarg)) == 0 &&
					    sidecode[k][eq - optarg] == '\0')
						return (sim_die(BC_USAGE,
						    "--token-file %.*s= given "
						    "twice", (int)(eq - optarg),
						    optarg));
				if (k == NSIDES)
					return (sim_die(BC_USAGE, "--token-file: "
					    "at most %d sides", NSIDES));
				memcpy(sidecode[k], optarg,
				    (size_t)(eq - optarg));
				sidecode[k][eq - optarg] = '\0';
				sidepath[k] = eq + 1;
			} else
				tokpath = optarg;
			break;
		case OPT_INSTANCE:
			if (strlen(optarg) == 0 || strlen(optarg) >= 12 ||
			    strspn(optarg, "0123456789abcdefghijklmnopqrstuvwxyz")
			    != strlen(optarg))
				return (sim_die(BC_USAGE, "--instance %s: want "
				    "1 to 11 of [0-9a-z]", optarg));
			snprintf(tag, sizeof tag, "%s", optarg);
			break;
		case OPT_FAULT:
			if ((cfg.faults = sim_faults(optarg)) == 0)
				return (sim_die(BC_USAGE, "--fault %s: kinds are "
				    "delay, status, truncate, garbage, slow",
				    optarg));
			break;
		case OPT_FAULT_RATE:
			if (sim_double(optarg, 0, 1, &cfg.fault_rate) != 0)
				return (sim_die(BC_USAGE,
				    "--fault-rate %s: want 0 to 1", optarg));
			break;
		case OPT_FAULT_AFTER:
			if (sim_ulong(optarg, ULONG_MAX, &cfg.fault_after) != 0)
				return (sim_die(BC_USAGE,
				    "--fault-after %s: want a number", optarg));
			break;
		case OPT_FAULT_COUNT:
			if (sim_ulong(optarg, ULONG_MAX, &cfg.fault_count) != 0)
				return (sim_die(BC_USAGE,
				    "--fault-count %s: want a number", optarg));
			break;
		case OPT_FAULT_DELAY:
			if (sim_ulong(optarg, 600000, &ul) != 0)
				return (sim_die(BC_USAGE,
				    "--fault-delay %s: want 0 to 600000 ms",
				    optarg));
			cfg.fault_delay_ms = (unsigned)ul;
			break;
		case OPT_FAULT_STATUS:
			if (sim_ulong(optarg, 599, &ul) != 0 ||
			    (ul != 500 && ul != 503))
				return (sim_die(BC_USAGE,
				    "--fault-status %s: want 500 or 503",
				    optarg));
			cfg.fault_status = (unsigned)ul;
			break;
		case OPT_RETRY_AFTER:
			if (sim_ulong(optarg, 86400, &ul) != 0)
				return (sim_die(BC_USAGE,
				    "--retry-after %s: want 0 to 86400 s",
				    optarg));
			cfg.retry_after_s = (unsigned)ul;
			break;
		case OPT_FAULT_SLOW_BPS:
			if (sim_ulong(optarg, 100000000, &ul) != 0 || ul == 0)
				return (sim_die(BC_USAGE,
				    "--fault-slow-bps %s: want a positive number",
				    optarg));
			cfg.fault_slow_bps = (unsigned)ul;
			break;
		case OPT_HELP:
			sim_usage(stdout);
			return (0);
		case OPT_VERSION:
			printf("bordercop-sim %s\n", PACKAGE_VERSION);
			return (0);
		default:
			sim_usage(stderr);
			return (2);
		}
	}
	if (optind != argc)
		return (sim_die(BC_USAGE, "unexpected argument: %s",
		    argv[optind]));
	if (!have_start)
		start = floor((double)time(NULL));

	if (tokpath != NULL &&
	    (st = sim_token(tokpath, &token, why, sizeof why)) != BC_OK)
		return (sim_die(st, "%s", why));
	if (mappath == NULL &&
	    (mappath = map_default_path(mapbuf, sizeof mapbuf)) == NULL)
		return (sim_die(BC_IO, "%s", "no border map found; use --map"));
	if ((st = map_load_file(mappath, &map, why, sizeof why)) != BC_OK)
		return (sim_die(st, "%s", why));
	/* Partitions: each SIDE= names a side of the map. */
	st = BC_OK;
	for (k = 0; k < NSIDES && sidepath[k] != NULL && st == BC_OK; k++) {
		side = border_side_by_code(map, sidecode[k]);
		if (side < 0) {
			bc_why(why, sizeof why, "--token-file %s=: not a side "
			    "of the map (%s or %s)", sidecode[k],
			    map->sides[0].code, map->sides[1].code);
			st = BC_USAGE;
		} else if ((st = sim_token(sidepath[k], &side_token[side],
		    why, sizeof why)) == BC_OK)
			cfg.side_token[side] = side_token[side];
	}
	if (st != BC_OK) {
		for (k = 0; k < NSIDES; k++)
			if (side_token[k] != NULL) {
				explicit_bzero(side_token[k],
				    strlen(side_token[k]));
				free(side_token[k]);
			}
		if (token != NULL) {
			explicit_bzero(token, strlen(token));
			free(token);
		}
		border_free(map);
		return (sim_die(st, "%s", why));
	}

	sc = scenario_new(map, seed, nunits, start);
	cfg.addr = addr;
	cfg.token = token;
	cfg.tag = tag;
	cfg.seed = seed;

	/* Server threads inherit a mask without our signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	if ((st = server_start(&cfg, sc, &srv, why, sizeof why)) != BC_OK) {
		scenario_free(sc);
		border_free(map);
		return (sim_die(st, "%s", why));
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sim_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (strchr(addr, ':') != NULL)
		printf("listening on [%s]:%u\n", addr, server_port(srv));
	else
		printf("listening on %s:%u\n", addr, server_port(srv));
	fflush(stdout);

	t0 = sim_mono();
	next = cfg.tick_s;
	while (!sim_quit) {
		wait = t0 + next - sim_mono();
		if (wait > 0) {
			ts.tv_sec = (time_t)wait;
			ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);	/* a signal ends it early */
		}
		if (sim_toggle) {
			sim_toggle = 0;
			server_toggle_faults(srv);
		}
		if (sim_quit || sim_mono() < t0 + next)
			continue;
		server_advance(srv, start + next * speed);
		next += cfg.tick_s;
		/* After a stall, skip missed ticks rather than race. */
		if (next < sim_mono() - t0)
			next = ceil((sim_mono() - t0) / cfg.tick_s) * cfg.tick_s;
	}

	server_stop(srv);
	scenario_free(sc);
	border_free(map);
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	for (k = 0; k < NSIDES; k++)
		if (side_token[k] != NULL) {
			explicit_bzero(side_token[k], strlen(side_token[k]));
			free(side_token[k]);
		}
	return (0);
}
