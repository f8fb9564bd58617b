/*
 * poll.c: the API poller on libcurl's multi interface (see poll.h).
 *
 * This is the only file that includes <curl/curl.h>.  One easy handle is
 * reused for every poll, so libcurl keeps the connection alive between
 * polls; one multi handle lets the caller's single wait point serve the
 * network and the keyboard together.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <netinet/in.h>
#include <arpa/inet.h>

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "poll.h"
#include "util.h"
#include "xmalloc.h"

#define POLL_PATH	"/v1/positions"

struct poller {
	CURLM			*multi;
	CURL			*easy;
	struct curl_slist	*headers;

	CURLU			*base;		/* {base}/v1/positions */
	char			*token;		/* wiped on free */
	char			*cacert;
	int			 loopback;	/* the API is on this machine */
	char			 sides[NSIDES][16];
	const char		*side_codes[NSIDES];
	struct poll_config	 cfg;
	uint64_t		 rng;

	char			*cursor;	/* from the last message */
	char			 etag[POLL_ETAG_MAX + 1];

	/* The transfer in flight. */
	int			 in_flight;
	int			 due_now;
	char			*url;
	char			*body;
	size_t			 blen;
	size_t			 bcap;
	int			 overflow;
	char			 rx_etag[POLL_ETAG_MAX + 1];
	int			 rx_gzip;
	double			 rx_retry_s;	/* relative, s; 0 none */
	double			 rx_retry_date;	/* epoch s; 0 none */
	double			 rx_date;	/* Date:, epoch s; 0 none */
	int			 rx_headers_done;	/* blank line seen */
	char			 errbuf[CURL_ERROR_SIZE];

	struct link_status	 link;
	enum poll_clock		 clock;		/* what server_skew_s is from */
	struct poll_stats	 last;
};

static int	poll_global_done;

void
poll_config_defaults(struct poll_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->connect_timeout_s = 10;
	cfg->timeout_s = 900;
	cfg->low_speed_bps = 64;
	cfg->low_speed_s = 30;
	cfg->max_bytes = FEED_MAX_BYTES;
	cfg->interval_s = 10;
	cfg->slow_s = 5;
	cfg->backoff_base_s = 2;
	cfg->backoff_cap_s = 300;
	cfg->backoff_min_s = 1;
}

/* xorshift64*: small, fast and good enough for jitter. */
static uint64_t
poll_rand(uint64_t *s)
{
	uint64_t	x = *s;

	if (x == 0)
		x = 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (x * 0x2545f4914f6cdd1dULL);
}

double
poll_backoff(uint64_t *rng, double base_s, double cap_s, double min_s,
    unsigned failures, double retry_after_s)
{
	double	ceil_s = base_s, u, d;
	unsigned i;

	for (i = 1; i < failures && ceil_s < cap_s; i++)
		ceil_s *= 2;
	if (ceil_s > cap_s)
		ceil_s = cap_s;
	u = (double)(poll_rand(rng) >> 11) / (double)(1ULL << 53);
	d = u * ceil_s;
	if (d < min_s)
		d = min_s;
	if (retry_after_s > d)
		d = retry_after_s;
	return (d);
}

static int
poll_token_ok(const char *t, size_t len)
{
	size_t	i;

	if (len == 0 || len > POLL_TOKEN_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return (0);
	return (1);
}

/*
 * Once a token is in memory, no core dump: the token is in our copy, in
 * the header list and in libcurl's buffers, so marking pages one by one
 * (madvise MADV_DONTDUMP) would miss some.  A process that is not
 * dumpable writes no core and cannot be attached to by another process
 * of the same user.
 */
static void
poll_token_guard(void)
{
	/* Not under AddressSanitizer: its leak check at exit needs the
	   process to be dumpable. */
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

void
poll_token_free(char *token)
{
	if (token == NULL)
		return;
	explicit_bzero(token, strlen(token));
	free(token);
}

/* The token file must be private: a token others can read is no secret,
   so refuse it rather than use it (as ssh does with keys). */
enum bc_status
poll_token_load(const char *path, char **token, char *why, size_t whylen)
{
	char		 buf[POLL_TOKEN_MAX + 2];
	const char	*env;
	struct stat	 st;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	*token = NULL;
	if (path == NULL) {
		env = getenv("BORDERCOP_TOKEN");
		if (env == NULL || *env == '\0') {
			unsetenv("BORDERCOP_TOKEN");
			return (BC_OK);
		}
		if (!poll_token_ok(env, strlen(env))) {
			bc_why(why, whylen, "BORDERCOP_TOKEN: not a valid "
			    "token (1 to %d visible ASCII characters)",
			    POLL_TOKEN_MAX);
			unsetenv("BORDERCOP_TOKEN");
			return (BC_INVALID);
		}
		poll_token_guard();
		*token = xstrdup(env);
		/* Read once: programs started later never see it, and
		   neither does ps e (unsetenv() leaves the original block
		   that /proc/PID/environ shows: wipe it there). */
		explicit_bzero((char *)(uintptr_t)env, strlen(env));
		unsetenv("BORDERCOP_TOKEN");
		return (BC_OK);
	}
	unsetenv("BORDERCOP_TOKEN");

	/* O_NONBLOCK: a FIFO or a device must not hang the start; it is
	   refused below, as anything but a regular file. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		return (BC_IO);
	}
	if (fstat(fd, &st) == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		return (BC_IO);
	}
	if (!S_ISREG(st.st_mode)) {
		bc_why(why, whylen, "%s: not a regular file", path);
		close(fd);
		return (BC_IO);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		bc_why(why, whylen, "%s: token file is accessible by group or "
		    "others (mode %03o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 0777));
		close(fd);
		return (BC_AUTH);
	}
	while (len < sizeof buf) {
		n = read(fd, buf + len, sizeof buf - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			bc_why(why, whylen, "%s: %s", path, strerror(errno));
			explicit_bzero(buf, sizeof buf);
			close(fd);
			return (BC_IO);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	/* Trailing blanks as well as the line end, as bordercop-sim reads
	   its token file: an editor's trailing space is no part of it. */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (!poll_token_ok(buf, len)) {
		bc_why(why, whylen, "%s: not a valid token (one line of 1 to "
		    "%d visible ASCII characters)", path, POLL_TOKEN_MAX);
		explicit_bzero(buf, sizeof buf);
		return (BC_INVALID);
	}
	poll_token_guard();
	*token = xstrndup(buf, len);
	explicit_bzero(buf, sizeof buf);
	return (BC_OK);
}

static size_t
poll_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct poller	*p = arg;
	size_t		 n = size * nmemb, want;

	if (n > p->cfg.max_bytes - p->blen) {
		p->overflow = 1;
		return (0);	/* cut off: libcurl ends the transfer */
	}
	if (p->blen + n + 1 > p->bcap) {
		want = p->bcap ? p->bcap : 65536;
		while (want < p->blen + n + 1)
			want *= 2;
		p->body = xreallocarray(p->body, want, 1);
		p->bcap = want;
	}
	memcpy(p->body + p->blen, data, n);
	p->blen += n;
	p->body[p->blen] = '\0';
	return (n);
}

/* Trim a header value in place: leading and trailing blanks, CR, LF. */
static char *
poll_header_value(char *v)
{
	size_t	len;

	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
	    v[len - 1] == ' ' || v[len - 1] == '\t'))
		v[--len] = '\0';
	return (v);
}

static size_t
poll_header_cb(char *data, size_t size, size_t nitems, void *arg)
{
	struct poller	*p = arg;
	size_t		 n = size * nitems;
	char		 line[512], *colon, *v;
	double		 secs;
	size_t		 len;
	time_t		 t;

	if (n >= sizeof line)
		return (n);	/* nothing we use is that long */
	memcpy(line, data, n);
	line[n] = '\0';
	if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0) {
		/* The end of the headers: an answer closed before it is
		   a broken connection, not a malformed body. */
		p->rx_headers_done = 1;
		return (n);
	}
	if (strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue, say): start over. */
		p->rx_headers_done = 0;
		p->rx_etag[0] = '\0';
		p->rx_gzip = 0;
		p->rx_retry_s = 0;
		p->rx_retry_date = 0;
		p->rx_date = 0;
		return (n);
	}
	if ((colon = strchr(line, ':')) == NULL)
		return (n);
	*colon = '\0';
	v = poll_header_value(colon + 1);
	if (strcasecmp(line, "ETag") == 0) {
		if (strlen(v) <= POLL_ETAG_MAX && str_is_clean(v))
			snprintf(p->rx_etag, sizeof p->rx_etag, "%s", v);
	} else if (strcasecmp(line, "Content-Encoding") == 0) {
		if (strcasestr(v, "gzip") != NULL)
			p->rx_gzip = 1;
	} else if (strcasecmp(line, "Retry-After") == 0) {
		/* Seconds (any number of digits: a huge one is cut to the
		   cap, not ignored), or an HTTP-date. */
		len = strlen(v);
		if (len > 0 && strspn(v, "0123456789") == len) {
			secs = 0;
			for (; *v != '\0' && secs <= POLL_RETRY_AFTER_MAX; v++)
				secs = secs * 10 + (*v - '0');
			p->rx_retry_s = secs < POLL_RETRY_AFTER_MAX ? secs :
			    POLL_RETRY_AFTER_MAX;
		} else if ((t = curl_getdate(v, NULL)) > 0)
			p->rx_retry_date = (double)t;
	} else if (strcasecmp(line, "Date") == 0) {
		if ((t = curl_getdate(v, NULL)) > 0)
			p->rx_date = (double)t;
	}
	return (n);
}

static void
poll_setopt_fail(CURLcode rc, const char *what, char *why, size_t whylen)
{
	bc_why(why, whylen, "libcurl: cannot set %s: %s", what,
	    curl_easy_strerror(rc));
}

#define POLL_SETOPT(opt, val) do {					\
	CURLcode rc_ = curl_easy_setopt(p->easy, opt, val);		\
	if (rc_ != CURLE_OK) {						\
		poll_setopt_fail(rc_, #opt, why, whylen);		\
		goto fail;						\
	}								\
} while (0)

/* Whether a URL host is this machine: 127.0.0.0/8, ::1 or localhost. */
static int
poll_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 buf[64];
	size_t		 len = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (len >= 2 && len < sizeof buf && host[0] == '[' &&
	    host[len - 1] == ']') {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a6) == 1)
			return (IN6_IS_ADDR_LOOPBACK(&a6));
	}
	return (0);
}

/* Split the base URL, keep only what we use, and refuse what we must not
   accept (other schemes, credentials in the URL, a fragment).  The path
   gets /v1/positions appended; a query in the base is kept. */
static enum bc_status
poll_parse_base(struct poller *p, const char *base, char *why, size_t whylen)
{
	CURLU		*u;
	char		*scheme = NULL, *host = NULL, *user = NULL;
	char		*frag = NULL, *path = NULL, *full;
	size_t		 len, plen = strlen(POLL_PATH);
	enum bc_status	 st = BC_OK;

	if ((u = curl_url()) == NULL) {
		bc_why(why, whylen, "libcurl: out of memory");
		return (BC_NET);
	}
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		bc_why(why, whylen, "not a valid URL: %s", base);
		st = BC_USAGE;
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0) {
		bc_why(why, whylen, "only http and https URLs are supported, "
		    "not %s", scheme);
		st = BC_USAGE;
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		bc_why(why, whylen, "no host in the URL");
		st = BC_USAGE;
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		bc_why(why, whylen, "the API URL must not carry credentials; "
		    "use --token-file or BORDERCOP_TOKEN");
		st = BC_USAGE;
		goto out;
	}
	/* An empty fragment ("...#") is no fragment to libcurl. */
	if (curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK ||
	    strchr(base, '#') != NULL) {
		bc_why(why, whylen, "the API URL must not have a fragment "
		    "(#...): it is never sent to the server");
		st = BC_USAGE;
		goto out;
	}
	snprintf(p->link.source, sizeof p->link.source, "%s", host);
	p->loopback = poll_loopback(host);
	if (p->token != NULL && strcasecmp(scheme, "http") == 0 &&
	    !poll_loopback(host)) {
		bc_why(why, whylen, "refusing to send the token in clear over "
		    "http to %s: use https (plain http only to loopback)",
		    p->link.source);
		st = BC_USAGE;
		goto out;
	}

	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		bc_why(why, whylen, "not a valid URL path: %s", base);
		st = BC_USAGE;
		goto out;
	}
	len = strlen(path);
	while (len > 0 && path[len - 1] == '/')
		len--;
	if (len >= plen && strncmp(path + len - plen, POLL_PATH, plen) == 0)
		full = xstrndup(path, len);
	else
		xasprintf(&full, "%.*s%s", (int)len, path, POLL_PATH);
	if (curl_url_set(u, CURLUPART_PATH, full, 0) != CURLUE_OK) {
		bc_why(why, whylen, "not a valid URL path: %s", base);
		st = BC_USAGE;
	}
	free(full);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(frag);
	curl_free(path);
	if (st == BC_OK)
		p->base = u;
	else
		curl_url_cleanup(u);
	return (st);
}

enum bc_status
poll_new(const struct poll_config *cfg, struct poller **out, char *why,
    size_t whylen)
{
	struct poller	*p;
	char		 ua[64];
	enum bc_status	 st;
	int		 i;

	*out = NULL;
	if (!poll_global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			bc_why(why, whylen, "libcurl: cannot initialize");
			return (BC_NET);
		}
		poll_global_done = 1;
	}
	if (cfg->base_url == NULL || *cfg->base_url == '\0') {
		bc_why(why, whylen, "no API URL");
		return (BC_USAGE);
	}
	if (cfg->token != NULL &&
	    !poll_token_ok(cfg->token, strlen(cfg->token))) {
		bc_why(why, whylen, "not a valid token");
		return (BC_INVALID);
	}

	p = xcalloc(1, sizeof *p);
	p->cfg = *cfg;
	p->cfg.base_url = NULL;
	p->cfg.token = NULL;
	p->cfg.cacert = NULL;
	if (p->cfg.max_bytes == 0)
		p->cfg.max_bytes = FEED_MAX_BYTES;
	for (i = 0; i < NSIDES; i++) {
		snprintf(p->sides[i], sizeof p->sides[i], "%s",
		    cfg->side_codes[i] != NULL ? cfg->side_codes[i] : "");
		p->side_codes[i] = p->sides[i];
	}
	p->rng = cfg->seed;
	if (p->rng == 0)
		p->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	p->link.state = LINK_WAIT;
	if (cfg->token != NULL) {
		poll_token_guard();
		p->token = xstrdup(cfg->token);
	}
	if ((st = poll_parse_base(p, cfg->base_url, why, whylen)) != BC_OK) {
		poll_free(p);
		return (st);
	}
	if (cfg->cacert != NULL)
		p->cacert = xstrdup(cfg->cacert);

	p->multi = curl_multi_init();
	p->easy = curl_easy_init();
	if (p->multi == NULL || p->easy == NULL) {
		bc_why(why, whylen, "libcurl: cannot create handles");
		goto fail;
	}
	snprintf(ua, sizeof ua, "bordercop/%s", PACKAGE_VERSION);
	POLL_SETOPT(CURLOPT_NOSIGNAL, 1L);
	POLL_SETOPT(CURLOPT_ERRORBUFFER, p->errbuf);
	POLL_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	POLL_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	POLL_SETOPT(CURLOPT_USERAGENT, ua);
	POLL_SETOPT(CURLOPT_ACCEPT_ENCODING, "gzip");
	POLL_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	POLL_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	/* A loopback API is reached directly, whatever http_proxy says: a
	   proxy would get a token sent over plain http in clear, and would
	   take 127.0.0.1 as its own machine. */
	if (p->loopback)
		POLL_SETOPT(CURLOPT_NOPROXY, "*");
	if (p->cacert != NULL) {
		/* Instead of the system's, as documented: Debian's libcurl
		   also has a built-in CA directory, dropped here. */
		POLL_SETOPT(CURLOPT_CAINFO, p->cacert);
		POLL_SETOPT(CURLOPT_CAPATH, NULL);
	}
	POLL_SETOPT(CURLOPT_CONNECTTIMEOUT, p->cfg.connect_timeout_s);
	POLL_SETOPT(CURLOPT_TIMEOUT, p->cfg.timeout_s);
	POLL_SETOPT(CURLOPT_LOW_SPEED_LIMIT, p->cfg.low_speed_bps);
	POLL_SETOPT(CURLOPT_LOW_SPEED_TIME, p->cfg.low_speed_s);
	POLL_SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
	POLL_SETOPT(CURLOPT_WRITEFUNCTION, poll_write_cb);
	POLL_SETOPT(CURLOPT_WRITEDATA, p);
	POLL_SETOPT(CURLOPT_HEADERFUNCTION, poll_header_cb);
	POLL_SETOPT(CURLOPT_HEADERDATA, p);
	*out = p;
	return (BC_OK);
fail:
	poll_free(p);
	return (BC_NET);
}

/* Free a header list after wiping it: it carries the token. */
static void
poll_headers_free(struct poller *p)
{
	struct curl_slist	*h;

	for (h = p->headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(p->headers);
	p->headers = NULL;
}

void
poll_free(struct poller *p)
{
	if (p == NULL)
		return;
	if (p->in_flight)
		curl_multi_remove_handle(p->multi, p->easy);
	if (p->easy != NULL)
		curl_easy_cleanup(p->easy);
	if (p->multi != NULL)
		curl_multi_cleanup(p->multi);
	poll_headers_free(p);
	poll_token_free(p->token);
	free(p->cacert);
	curl_url_cleanup(p->base);
	free(p->cursor);
	free(p->url);
	free(p->body);
	free(p);
}

void
poll_now(struct poller *p)
{
	p->due_now = 1;
}

void
poll_reset(struct poller *p)
{
	free(p->cursor);
	p->cursor = NULL;
	p->etag[0] = '\0';
}

enum poll_clock
poll_clock(const struct poller *p)
{
	return (p->clock);
}

const struct link_status *
poll_link(const struct poller *p)
{
	return (&p->link);
}

const struct poll_stats *
poll_last(const struct poller *p)
{
	return (&p->last);
}

int
poll_in_flight(const struct poller *p)
{
	return (p->in_flight);
}

static struct curl_slist *
poll_header_add(struct curl_slist *list, const char *name, const char *v)
{
	struct curl_slist	*l;
	char			*s;

	xasprintf(&s, "%s: %s", name, v);
	l = curl_slist_append(list, s);
	explicit_bzero(s, strlen(s));
	free(s);
	if (l == NULL) {
		fprintf(stderr, "bordercop: out of memory\n");
		abort();
	}
	return (l);
}

static enum bc_status
poll_start(struct poller *p, double now, char *why, size_t whylen)
{
	CURLU		*u;
	CURLUcode	 uc = CURLUE_OK;
	CURLMcode	 mc;
	char		*since, *esc, *url = NULL;

	/* {base}/v1/positions, its own query kept, since= appended.  The
	   cursor is percent-encoded by curl_easy_escape (a space as %20:
	   CURLU_URLENCODE would write '+', which only form decoders read
	   as a space). */
	free(p->url);
	p->url = NULL;
	if ((u = curl_url_dup(p->base)) == NULL) {
		bc_why(why, whylen, "libcurl: out of memory");
		return (BC_NET);
	}
	if (p->cursor != NULL) {
		if ((esc = curl_easy_escape(p->easy, p->cursor, 0)) == NULL) {
			curl_url_cleanup(u);
			bc_why(why, whylen, "libcurl: out of memory");
			return (BC_NET);
		}
		xasprintf(&since, "since=%s", esc);
		curl_free(esc);
		uc = curl_url_set(u, CURLUPART_QUERY, since,
		    CURLU_APPENDQUERY);
		free(since);
	}
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_URL, &url, 0);
	curl_url_cleanup(u);
	if (uc != CURLUE_OK) {
		bc_why(why, whylen, "libcurl: cannot build the URL: %s",
		    curl_url_strerror(uc));
		return (BC_NET);
	}
	p->url = xstrdup(url);
	curl_free(url);

	poll_headers_free(p);
	p->headers = poll_header_add(NULL, "Accept",
	    "application/geo+json, application/json");
	if (p->etag[0] != '\0')
		p->headers = poll_header_add(p->headers, "If-None-Match",
		    p->etag);
	if (p->token != NULL) {
		char	*bearer;

		xasprintf(&bearer, "Bearer %s", p->token);
		p->headers = poll_header_add(p->headers, "Authorization",
		    bearer);
		explicit_bzero(bearer, strlen(bearer));
		free(bearer);
	}

	if (curl_easy_setopt(p->easy, CURLOPT_URL, p->url) != CURLE_OK ||
	    curl_easy_setopt(p->easy, CURLOPT_HTTPHEADER, p->headers) !=
	    CURLE_OK) {
		bc_why(why, whylen, "libcurl: cannot set up the request");
		return (BC_NET);
	}
	p->blen = 0;
	p->overflow = 0;
	p->rx_etag[0] = '\0';
	p->rx_gzip = 0;
	p->rx_retry_s = 0;
	p->rx_retry_date = 0;
	p->rx_date = 0;
	p->rx_headers_done = 0;
	p->errbuf[0] = '\0';
	memset(&p->last, 0, sizeof p->last);
	p->last.incremental = p->cursor != NULL;
	p->last.conditional = p->etag[0] != '\0';

	if ((mc = curl_multi_add_handle(p->multi, p->easy)) != CURLM_OK) {
		bc_why(why, whylen, "libcurl: %s", curl_multi_strerror(mc));
		return (BC_NET);
	}
	p->in_flight = 1;
	p->due_now = 0;
	p->link.last_attempt = now;
	return (BC_OK);
}

/* libcurl's failures in words an operator can act on, with their class. */
#define POLL_CURL_ERRORS(X)						\
	X(CURLE_OPERATION_TIMEDOUT,	"timed out",		BC_NET)	\
	X(CURLE_COULDNT_RESOLVE_HOST,	"cannot resolve host",	BC_NET)	\
	X(CURLE_COULDNT_RESOLVE_PROXY,	"cannot resolve host",	BC_NET)	\
	X(CURLE_COULDNT_CONNECT,	"cannot connect",	BC_NET)	\
	X(CURLE_PEER_FAILED_VERIFICATION, "TLS verification failed", BC_TLS) \
	X(CURLE_SSL_CACERT_BADFILE,	"cannot use the CA file", BC_TLS) \
	X(CURLE_SSL_CONNECT_ERROR,	"TLS handshake failed",	BC_TLS)	\
	X(CURLE_PARTIAL_FILE,		"truncated answer",	BC_NET)	\
	X(CURLE_BAD_CONTENT_ENCODING,	"bad compressed answer", BC_FORMAT) \
	X(CURLE_GOT_NOTHING,		"empty reply from server", BC_NET)

static const struct {
	CURLcode	 rc;
	const char	*text;
	enum bc_status	 st;
} poll_curl_errors[] = {
#define X(rc, text, st) { rc, text, st },
	POLL_CURL_ERRORS(X)
#undef X
};

/* Say why a transfer failed, in words an operator can act on. */
static enum bc_status
poll_curl_error(struct poller *p, CURLcode rc, char *why, size_t whylen)
{
	char		 detail[CURL_ERROR_SIZE];
	const char	*text;
	long		 oserr = 0;
	size_t		 i;

	if (p->errbuf[0] != '\0')
		str_clean(detail, sizeof detail, p->errbuf, strlen(p->errbuf));
	else
		snprintf(detail, sizeof detail, "%s", curl_easy_strerror(rc));

	if (rc == CURLE_WRITE_ERROR && p->overflow) {
		bc_why(why, whylen, "answer larger than the cap of %zu bytes: "
		    "cut off", p->cfg.max_bytes);
		return (BC_TOOBIG);
	}
	for (i = 0; i < sizeof poll_curl_errors / sizeof poll_curl_errors[0];
	    i++) {
		if (poll_curl_errors[i].rc != rc)
			continue;
		text = poll_curl_errors[i].text;
		if (rc == CURLE_COULDNT_CONNECT) {
			curl_easy_getinfo(p->easy, CURLINFO_OS_ERRNO, &oserr);
			if (oserr == ECONNREFUSED) {
				/* "Failed to connect to H port N after 0 ms:
				   Connection refused": said once, short. */
				const char	*at, *after;

				at = strstr(detail, "connect to ");
				after = at != NULL ? strstr(at, " after ") :
				    NULL;
				if (after != NULL) {
					bc_why(why, whylen, "connection "
					    "refused by %.*s",
					    (int)(after - at - 11), at + 11);
					return (poll_curl_errors[i].st);
				}
				text = "connection refused";
			}
		}
		if (rc == CURLE_GOT_NOTHING)
			bc_why(why, whylen, "%s", text);
		else
			bc_why(why, whylen, "%s: %s", text, detail);
		return (poll_curl_errors[i].st);
	}
	bc_why(why, whylen, "%s", detail);
	return (BC_NET);
}

static const struct {
	long		 code;
	const char	*text;
} poll_http_reasons[] = {
	{ 400, "Bad Request" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
};

static void
poll_http_reason(long code, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof poll_http_reasons /
	    sizeof poll_http_reasons[0]; i++) {
		if (poll_http_reasons[i].code == code) {
			snprintf(buf, len, "HTTP %ld %s", code,
			    poll_http_reasons[i].text);
			return;
		}
	}
	snprintf(buf, len, "HTTP %ld", code);
}

/* A transfer ended: classify it, update the link, hand over a message. */
static enum poll_result
poll_finish(struct poller *p, double now, CURLcode rc, struct feed_msg *msg,
    char *why, size_t whylen)
{
	curl_off_t	 wire = 0, total_us = 0;
	long		 code = 0;
	enum bc_status	 st = BC_OK;
	enum poll_result res = POLL_FAILED;
	char		 pwhy[256], hr[48];
	double		 retry = 0;

	curl_multi_remove_handle(p->multi, p->easy);
	p->in_flight = 0;
	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(p->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
	curl_easy_getinfo(p->easy, CURLINFO_TOTAL_TIME_T, &total_us);

	if (p->rx_retry_s > 0)
		retry = p->rx_retry_s;
	else if (p->rx_retry_date > 0)
		/* A date on the server's clock: measured against the
		   server's Date, since the two clocks may disagree. */
		retry = p->rx_retry_date - (p->rx_date > 0 ? p->rx_date :
		    now);
	if (retry < 0)
		retry = 0;
	if (retry > POLL_RETRY_AFTER_MAX)
		retry = POLL_RETRY_AFTER_MAX;

	p->last.http_code = code;
	p->last.wire_bytes = wire > 0 ? (uint64_t)wire : 0;
	p->last.body_bytes = p->blen;
	p->last.gzip = p->rx_gzip;
	p->last.total_s = (double)total_us / 1e6;

	if (rc != CURLE_OK)
		st = poll_curl_error(p, rc, why, whylen);
	else if (!p->rx_headers_done) {
		st = BC_NET;
		bc_why(why, whylen, "connection closed before the end of "
		    "the answer's headers");
	} else if (code == 304 && !p->last.conditional) {
		/* Not modified since what?  Nothing was asked for: taking it
		   as "unchanged" would show an empty picture as current. */
		st = BC_HTTP;
		bc_why(why, whylen, "HTTP 304 Not Modified to a request "
		    "without If-None-Match: the server sent no picture");
	} else if (code == 304)
		res = POLL_NOT_MODIFIED;
	else if (code == 200) {
		st = feed_parse(p->body != NULL ? p->body : "", p->blen,
		    p->side_codes, msg, pwhy, sizeof pwhy);
		if (st == BC_OK && !msg->full && !p->last.incremental) {
			/* Changes since nothing: merged into an empty or
			   old table it would pass for the whole picture. */
			feed_msg_done(msg);
			st = BC_FORMAT;
			bc_why(why, whylen, "malformed answer: incremental "
			    "(full: false) to a request without since");
			poll_reset(p);
		} else if (st == BC_OK)
			res = POLL_MESSAGE;
		else
			bc_why(why, whylen, "malformed answer: %s", pwhy);
	} else if (code == 401 || code == 403) {
		st = BC_AUTH;
		if (p->token == NULL)
			bc_why(why, whylen, "not authorized (HTTP %ld): the "
			    "server wants a token; set --token-file or "
			    "BORDERCOP_TOKEN", code);
		else
			bc_why(why, whylen, "not authorized (HTTP %ld): check "
			    "the token", code);
	} else if (code >= 300 && code < 400) {
		/* Not followed: a redirect could take the token elsewhere
		   or turn https into http.  Say where it points, cleaned. */
		char	*loc = NULL, clean[160];

		st = BC_HTTP;
		curl_easy_getinfo(p->easy, CURLINFO_REDIRECT_URL, &loc);
		str_clean(clean, sizeof clean, loc != NULL ? loc : "",
		    loc != NULL ? strlen(loc) : 0);
		if (*clean != '\0')
			bc_why(why, whylen, "HTTP %ld redirect to %s: "
			    "redirects are not followed; give that URL to "
			    "--api", code, clean);
		else
			bc_why(why, whylen, "HTTP %ld redirect: redirects are "
			    "not followed", code);
	} else {
		st = BC_HTTP;
		poll_http_reason(code, hr, sizeof hr);
		if (retry > 0)
			bc_why(why, whylen, "%s, retry after %.0f s", hr,
			    retry);
		else
			bc_why(why, whylen, "%s", hr);
	}

	/* The server's clock as of when the request started, so that ages
	   never come out younger by the transfer time: a message's
	   server_time, else the Date of any answer until a server_time was
	   seen (the two may differ: a simulator's time is simulated). */
	if (res == POLL_MESSAGE && isfinite(msg->server_time)) {
		p->link.server_skew_s = msg->server_time -
		    p->link.last_attempt;
		p->clock = POLL_CLOCK_SERVER;
	} else if (p->rx_date > 0 && code > 0 && p->clock != POLL_CLOCK_SERVER) {
		p->link.server_skew_s = p->rx_date - p->link.last_attempt;
		p->clock = POLL_CLOCK_DATE;
	}

	p->link.polls++;
	p->link.bytes_rx += p->last.wire_bytes;
	p->last.status = st;
	p->last.retry_after_s = retry;
	if (res == POLL_FAILED) {
		if (st == BC_OK)
			st = BC_NET;
		p->last.status = st;
		p->link.state = LINK_DOWN;
		p->link.failures++;
		str_clean(p->link.error, sizeof p->link.error, why,
		    strlen(why));
		p->link.next_poll = now + poll_backoff(&p->rng,
		    p->cfg.backoff_base_s, p->cfg.backoff_cap_s,
		    p->cfg.backoff_min_s, p->link.failures, retry);
		return (res);
	}

	p->link.state = p->last.total_s > p->cfg.slow_s ? LINK_SLOW : LINK_OK;
	p->link.last_good = now;
	p->link.failures = 0;
	p->link.error[0] = '\0';
	p->link.next_poll = now + p->cfg.interval_s;
	if (res == POLL_NOT_MODIFIED) {
		p->link.not_modified++;
		return (res);
	}
	p->link.rejected += msg->nrejected;
	p->link.last_rejected = msg->nrejected;
	p->link.all_rejected = feed_reject_note(msg, p->link.reject_note,
	    sizeof p->link.reject_note);
	/* No cursor: the next poll asks for the whole picture (a cursor
	   of an older message would ask for changes since then). */
	free(p->cursor);
	p->cursor = msg->cursor != NULL ? xstrdup(msg->cursor) : NULL;
	snprintf(p->etag, sizeof p->etag, "%s", p->rx_etag);
	return (res);
}

int
poll_timeout_ms(struct poller *p, double now)
{
	long	ms = -1;
	double	d;

	if (p->in_flight) {
		curl_multi_timeout(p->multi, &ms);
		if (ms < 0 || ms > 1000)
			ms = 1000;
		/* Wake when the poll turns SLOW. */
		d = (p->link.last_attempt + p->cfg.slow_s - now) * 1000;
		if (p->link.state != LINK_SLOW && d >= 0 && d < ms)
			ms = (long)ceil(d);
		return ((int)ms);
	}
	if (p->due_now)
		return (0);
	d = (p->link.next_poll - now) * 1000;
	if (d <= 0)
		return (0);
	if (d > INT_MAX / 2)
		return (INT_MAX / 2);
	return ((int)ceil(d));
}

int
poll_wait(struct poller *p, int extra_fd, int timeout_ms)
{
	struct curl_waitfd	 w;
	CURLMcode		 mc;
	int			 numfds = 0;

	memset(&w, 0, sizeof w);
	w.fd = extra_fd;
	w.events = CURL_WAIT_POLLIN;
	if (timeout_ms < 0)
		timeout_ms = 0;
	mc = curl_multi_poll(p->multi, extra_fd >= 0 ? &w : NULL,
	    extra_fd >= 0 ? 1 : 0, timeout_ms, &numfds);
	if (mc != CURLM_OK)
		return (-1);
	return (extra_fd >= 0 && (w.revents & CURL_WAIT_POLLIN) ? 1 : 0);
}

enum poll_result
poll_perform(struct poller *p, double now, struct feed_msg *msg, char *why,
    size_t whylen)
{
	struct CURLMsg	*m;
	CURLMcode	 mc;
	int		 running = 0, left;
	enum bc_status	 st;

	if (!p->in_flight) {
		if (!p->due_now && now < p->link.next_poll)
			return (POLL_IDLE);
		if ((st = poll_start(p, now, why, whylen)) != BC_OK) {
			p->link.state = LINK_DOWN;
			p->link.failures++;
			str_clean(p->link.error, sizeof p->link.error, why,
			    strlen(why));
			p->link.next_poll = now + p->cfg.backoff_cap_s;
			return (POLL_FAILED);
		}
	}
	mc = curl_multi_perform(p->multi, &running);
	if (mc != CURLM_OK) {
		bc_why(why, whylen, "libcurl: %s", curl_multi_strerror(mc));
		curl_multi_remove_handle(p->multi, p->easy);
		p->in_flight = 0;
		p->link.state = LINK_DOWN;
		p->link.failures++;
		str_clean(p->link.error, sizeof p->link.error, why,
		    strlen(why));
		p->link.next_poll = now + p->cfg.backoff_cap_s;
		return (POLL_FAILED);
	}
	while ((m = curl_multi_info_read(p->multi, &left)) != NULL) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == p->easy)
			return (poll_finish(p, now, m->data.result, msg, why,
			    whylen));
	}
	/* A poll that takes long is news before it ends: the picture is
	   getting old.  A link that is DOWN stays DOWN until an answer. */
	if ((p->link.state == LINK_OK || p->link.state == LINK_WAIT) &&
	    now - p->link.last_attempt > p->cfg.slow_s)
		p->link.state = LINK_SLOW;
	return (POLL_BUSY);
}

enum poll_result
poll_once(struct poller *p, double now, struct feed_msg *msg, char *why,
    size_t whylen)
{
	enum poll_result	r;

	poll_now(p);
	for (;;) {
		r = poll_perform(p, now, msg, why, whylen);
		if (r != POLL_BUSY && r != POLL_IDLE)
			return (r);
		if (poll_wait(p, -1, poll_timeout_ms(p, now)) == -1) {
			bc_why(why, whylen, "libcurl: wait failed");
			return (POLL_FAILED);
		}
	}
}
