/*
 * fanout.c: many bordercop pollers in one process, for the cache tests
 * (tests/test_nginx.sh) and the fan-out benchmark (bench/fanout.sh).
 *
 * Each poller is the project's own (poll.h): its own libcurl handles, its
 * cursor, its ETag, its interval.  Their first polls are spread evenly
 * over one interval (or all at once with -s 0), as officers who started
 * at different times.  After a warm-up the finished polls are counted:
 * 200s and 304s, body bytes on the wire, transfer times; with -L the
 * lines an upstream log gained over the same window (one line per
 * request that reached the API).
 *
 * Output: one "name=value" line per figure, for scripts.
 *
 * usage: fanout -u URL [-n N] [-d S] [-w S] [-i S] [-s 0|1] [-T FILE]
 *        [-L LOG]
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "feed.h"
#include "poll.h"
#include "xmalloc.h"

struct fan {
	struct poller	*p;
	double		 start;		/* first poll, epoch s */
	double		 due;		/* next poll_perform, epoch s */
	int		 busy;
};

static double
fan_clock(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return ((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

/* Lines in a file, or 0 when it cannot be read. */
static unsigned long
fan_lines(const char *path)
{
	FILE		*f;
	unsigned long	 n = 0;
	int		 c;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return (0);
	while ((c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return (n);
}

static int
fan_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

static void
fan_usage(void)
{
	fprintf(stderr, "usage: fanout -u URL [-n N] [-d S] [-w S] [-i S] "
	    "[-s 0|1] [-T FILE] [-L LOG]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct poll_config	 cfg;
	struct fan		*fan;
	struct feed_msg		 msg;
	const struct poll_stats	*ps;
	enum poll_result	 r;
	const char		*url = NULL, *tokpath = NULL, *logpath = NULL;
	char			*token = NULL, why[512], first_why[512];
	double			 dur = 10, warm = 0, interval = 10, now, t0, wake;
	double			*lat = NULL, bytes = 0;
	unsigned long		 n = 2, i, npolls = 0, n200 = 0, n304 = 0;
	unsigned long		 nfail = 0, up0 = 0, nlat = 0, caplat = 0;
	int			 spread = 1, c, counting = 0;
	struct timespec		 ts;

	while ((c = getopt(argc, argv, "u:n:d:w:i:s:T:L:")) != -1) {
		switch (c) {
		case 'u':
			url = optarg;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			dur = strtod(optarg, NULL);
			break;
		case 'w':
			warm = strtod(optarg, NULL);
			break;
		case 'i':
			interval = strtod(optarg, NULL);
			break;
		case 's':
			spread = atoi(optarg);
			break;
		case 'T':
			tokpath = optarg;
			break;
		case 'L':
			logpath = optarg;
			break;
		default:
			fan_usage();
		}
	}
	if (url == NULL || n == 0 || n > 100000 || !(dur > 0) ||
	    !(interval > 0) || warm < 0)
		fan_usage();
	if (poll_token_load(tokpath, &token, why, sizeof why) != BC_OK) {
		fprintf(stderr, "fanout: %s\n", why);
		return (1);
	}

	poll_config_defaults(&cfg);
	cfg.base_url = url;
	cfg.token = token;
	cfg.side_codes[0] = "US";
	cfg.side_codes[1] = "MX";
	cfg.interval_s = interval;
	fan = xcalloc(n, sizeof *fan);
	t0 = fan_clock();
	for (i = 0; i < n; i++) {
		cfg.seed = 1000 + i;
		if (poll_new(&cfg, &fan[i].p, why, sizeof why) != BC_OK) {
			fprintf(stderr, "fanout: %s\n", why);
			return (1);
		}
		fan[i].start = t0 + (spread ? interval * (double)i /
		    (double)n : 0);
		fan[i].due = fan[i].start;
	}
	poll_token_free(token);

	first_why[0] = '\0';
	for (;;) {
		now = fan_clock();
		if (now >= t0 + warm + dur)
			break;
		if (!counting && now >= t0 + warm) {
			counting = 1;
			up0 = fan_lines(logpath);
		}
		wake = t0 + warm + dur;
		for (i = 0; i < n; i++) {
			if (!fan[i].busy && now < fan[i].due) {
				if (fan[i].due < wake)
					wake = fan[i].due;
				continue;
			}
			r = poll_perform(fan[i].p, now, &msg, why, sizeof why);
			fan[i].busy = r == POLL_BUSY;
			if (r == POLL_MESSAGE)
				feed_msg_done(&msg);
			if (r == POLL_MESSAGE || r == POLL_NOT_MODIFIED ||
			    r == POLL_FAILED) {
				ps = poll_last(fan[i].p);
				if (counting) {
					npolls++;
					if (ps->http_code == 200)
						n200++;
					else if (ps->http_code == 304)
						n304++;
					if (r == POLL_FAILED) {
						nfail++;
						if (first_why[0] == '\0')
							snprintf(first_why,
							    sizeof first_why,
							    "%s", why);
					}
					bytes += (double)ps->wire_bytes;
					if (nlat == caplat) {
						caplat = caplat ? caplat * 2 :
						    1024;
						lat = xreallocarray(lat,
						    caplat, sizeof *lat);
					}
					lat[nlat++] = ps->total_s;
				}
			}
			if (!fan[i].busy)
				fan[i].due = now + poll_timeout_ms(fan[i].p,
				    now) / 1000.0;
			if (fan[i].busy || fan[i].due < wake)
				wake = fan[i].busy ? now : fan[i].due;
		}
		/* Transfers in flight are driven every millisecond. */
		wake -= fan_clock();
		if (wake < 0.001)
			wake = 0.001;
		ts.tv_sec = (time_t)wake;
		ts.tv_nsec = (long)((wake - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}

	qsort(lat, nlat, sizeof *lat, fan_cmp);
	printf("pollers=%lu\nseconds=%.1f\ninterval=%.1f\n", n, dur, interval);
	printf("polls=%lu\nok200=%lu\nnot_modified=%lu\nfailed=%lu\n",
	    npolls, n200, n304, nfail);
	printf("share304=%.3f\n", npolls ? (double)n304 / (double)npolls : 0);
	printf("bytes_per_poll=%.0f\n", npolls ? bytes / (double)npolls : 0);
	printf("p50_ms=%.1f\np99_ms=%.1f\n",
	    nlat ? lat[nlat / 2] * 1e3 : 0,
	    nlat ? lat[(size_t)floor(0.99 * (double)(nlat - 1))] * 1e3 : 0);
	if (logpath != NULL)
		printf("upstream=%lu\nupstream_per_s=%.2f\n",
		    fan_lines(logpath) - up0,
		    (double)(fan_lines(logpath) - up0) / dur);
	if (first_why[0] != '\0')
		printf("first_failure=%s\n", first_why);
	for (i = 0; i < n; i++)
		poll_free(fan[i].p);
	free(fan);
	free(lat);
	return (0);
}
