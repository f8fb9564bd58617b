/*
 * reqpoll.c: requests over libcurl's multi interface (see reqpoll.h).
 * Besides poll.c, the only file that includes <curl/curl.h>.
 */
#include "config.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "apiwrite.h"
#include "reqbook.h"
#include "reqfeed.h"
#include "reqpoll.h"
#include "util.h"
#include "xmalloc.h"

#define RP_PATH		"/v1/requests"
#define RP_ETAG_MAX	256

struct reqpoll {
	CURLM			*multi;
	CURL			*easy;
	struct curl_slist	*headers;
	char			*base;		/* {base}/v1/requests */
	char			*token;
	struct reqpoll_config	 cfg;

	char			*cursor;
	char			 etag[RP_ETAG_MAX + 1];

	/* The call in flight. */
	int			 in_flight;
	int			 kind;		/* 1 create, 0 answer, -1 list */
	long			 index;		/* the book entry posted */
	char			*url;
	struct apibuf		 tx;
	struct apibuf		 rx;
	char			 rx_etag[RP_ETAG_MAX + 1];
	double			 rx_retry_s;

	double			 next_list;	/* local s */
	double			 not_before;	/* backoff, local s */
	unsigned		 failures;
	int			 up;
	char			 error[160];
	struct reqpoll_stats	 st;
};

static size_t
rp_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct reqpoll	*rp = arg;
	size_t		 n = size * nmemb;

	if (rp->rx.len + n > REQFEED_MAX_BYTES)
		return (0);
	apibuf_add(&rp->rx, data, n);
	return (n);
}

static size_t
rp_header_cb(char *data, size_t size, size_t nitems, void *arg)
{
	struct reqpoll	*rp = arg;
	size_t		 n = size * nitems, len;
	char		 line[512], *v;

	if (n >= sizeof line)
		return (n);
	memcpy(line, data, n);
	line[n] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		rp->rx_etag[0] = '\0';
		rp->rx_retry_s = 0;
		return (n);
	}
	if ((v = strchr(line, ':')) == NULL)
		return (n);
	*v++ = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
	    v[len - 1] == ' '))
		v[--len] = '\0';
	if (strcasecmp(line, "ETag") == 0 && len <= RP_ETAG_MAX &&
	    str_is_clean(v))
		snprintf(rp->rx_etag, sizeof rp->rx_etag, "%s", v);
	else if (strcasecmp(line, "Retry-After") == 0 && len > 0 &&
	    len < 8 && strspn(v, "0123456789") == len)
		rp->rx_retry_s = fmin(atof(v), 3600);
	return (n);
}

/* {base}/v1/requests from the positions' base URL. */
static enum bc_status
rp_base(struct reqpoll *rp, const char *base, char *why, size_t whylen)
{
	CURLU		*u;
	char		*path = NULL, *full = NULL, *url = NULL;
	size_t		 len, pl = strlen("/v1/positions");
	enum bc_status	 st = BC_OK;

	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		bc_why(why, whylen, "not a valid URL: %s", base);
		st = BC_USAGE;
		goto out;
	}
	len = strlen(path);
	while (len > 0 && path[len - 1] == '/')
		len--;
	if (len >= pl && strncmp(path + len - pl, "/v1/positions", pl) == 0)
		len -= pl;
	xasprintf(&full, "%.*s%s", (int)len, path, RP_PATH);
	if (curl_url_set(u, CURLUPART_PATH, full, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		bc_why(why, whylen, "not a valid URL: %s", base);
		st = BC_USAGE;
		goto out;
	}
	rp->base = xstrdup(url);
out:
	free(full);
	curl_free(path);
	curl_free(url);
	curl_url_cleanup(u);
	return (st);
}

enum bc_status
reqpoll_new(const struct reqpoll_config *cfg, struct reqpoll **out,
    char *why, size_t whylen)
{
	struct reqpoll	*rp;
	char		 ua[64];

	*out = NULL;
	rp = xcalloc(1, sizeof *rp);
	rp->cfg = *cfg;
	rp->cfg.base_url = rp->cfg.token = rp->cfg.cacert = NULL;
	if (rp->cfg.interval_s <= 0)
		rp->cfg.interval_s = 10;
	if (cfg->token != NULL)
		rp->token = xstrdup(cfg->token);
	apibuf_init(&rp->tx);
	apibuf_init(&rp->rx);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    rp_base(rp, cfg->base_url, why, whylen) != BC_OK) {
		reqpoll_free(rp);
		return (BC_USAGE);
	}
	rp->multi = curl_multi_init();
	rp->easy = curl_easy_init();
	if (rp->multi == NULL || rp->easy == NULL) {
		bc_why(why, whylen, "libcurl: cannot create handles");
		reqpoll_free(rp);
		return (BC_NET);
	}
	snprintf(ua, sizeof ua, "bordercop/%s", PACKAGE_VERSION);
	curl_easy_setopt(rp->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(rp->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(rp->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(rp->easy, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(rp->easy, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(rp->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(rp->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->cacert != NULL) {
		curl_easy_setopt(rp->easy, CURLOPT_CAINFO, cfg->cacert);
		curl_easy_setopt(rp->easy, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(rp->easy, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(rp->easy, CURLOPT_LOW_SPEED_LIMIT, 16L);
	curl_easy_setopt(rp->easy, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(rp->easy, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(rp->easy, CURLOPT_WRITEFUNCTION, rp_write_cb);
	curl_easy_setopt(rp->easy, CURLOPT_WRITEDATA, rp);
	curl_easy_setopt(rp->easy, CURLOPT_HEADERFUNCTION, rp_header_cb);
	curl_easy_setopt(rp->easy, CURLOPT_HEADERDATA, rp);
	*out = rp;
	return (BC_OK);
}

static void
rp_headers_free(struct reqpoll *rp)
{
	struct curl_slist	*h;

	for (h = rp->headers; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(rp->headers);
	rp->headers = NULL;
}

void
reqpoll_free(struct reqpoll *rp)
{
	if (rp == NULL)
		return;
	if (rp->in_flight)
		curl_multi_remove_handle(rp->multi, rp->easy);
	if (rp->easy != NULL)
		curl_easy_cleanup(rp->easy);
	if (rp->multi != NULL)
		curl_multi_cleanup(rp->multi);
	rp_headers_free(rp);
	if (rp->token != NULL) {
		explicit_bzero(rp->token, strlen(rp->token));
		free(rp->token);
	}
	free(rp->base);
	free(rp->cursor);
	free(rp->url);
	apibuf_done(&rp->tx);
	apibuf_done(&rp->rx);
	free(rp);
}

void
reqpoll_now(struct reqpoll *rp)
{
	rp->next_list = 0;
}

/* "name: value", or "name:" alone (which removes a default header). */
static struct curl_slist *
rp_header(struct curl_slist *l, const char *name, const char *v)
{
	struct curl_slist	*nl;
	char			*s;

	xasprintf(&s, "%s:%s%s", name, *v != '\0' ? " " : "", v);
	nl = curl_slist_append(l, s);
	explicit_bzero(s, strlen(s));
	free(s);
	if (nl == NULL) {
		fprintf(stderr, "bordercop: out of memory\n");
		abort();
	}
	return (nl);
}

/* Start a call: kind 1 create, 0 answer (of book entry i), -1 list. */
static int
rp_start(struct reqpoll *rp, struct reqbook *b, int kind, long i,
    double now)
{
	char	*esc;

	free(rp->url);
	rp->url = NULL;
	rp_headers_free(rp);
	rp->rx.len = 0;
	rp->rx_etag[0] = '\0';
	rp->rx_retry_s = 0;
	rp->kind = kind;
	rp->index = i;
	if (rp->token != NULL) {
		char	*bearer;

		xasprintf(&bearer, "Bearer %s", rp->token);
		rp->headers = rp_header(NULL, "Authorization", bearer);
		explicit_bzero(bearer, strlen(bearer));
		free(bearer);
	}
	if (kind < 0) {
		if (rp->cursor != NULL) {
			esc = curl_easy_escape(rp->easy, rp->cursor, 0);
			xasprintf(&rp->url, "%s?since=%s", rp->base,
			    esc != NULL ? esc : "");
			curl_free(esc);
		} else
			rp->url = xstrdup(rp->base);
		if (rp->etag[0] != '\0')
			rp->headers = rp_header(rp->headers,
			    "If-None-Match", rp->etag);
		curl_easy_setopt(rp->easy, CURLOPT_HTTPGET, 1L);
	} else {
		if (kind == 1)
			rp->url = xstrdup(rp->base);
		else
			xasprintf(&rp->url, "%s/%s/state", rp->base,
			    b->v[i].r.id);
		rp->headers = rp_header(rp->headers, "Content-Type",
		    "application/json");
		/* No "Expect: 100-continue" round trip for a small body. */
		rp->headers = rp_header(rp->headers, "Expect", "");
		curl_easy_setopt(rp->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(rp->easy, CURLOPT_POSTFIELDS, rp->tx.p);
		curl_easy_setopt(rp->easy, CURLOPT_POSTFIELDSIZE,
		    (long)rp->tx.len);
	}
	curl_easy_setopt(rp->easy, CURLOPT_URL, rp->url);
	curl_easy_setopt(rp->easy, CURLOPT_HTTPHEADER, rp->headers);
	if (curl_multi_add_handle(rp->multi, rp->easy) != CURLM_OK)
		return (-1);
	rp->in_flight = 1;
	(void)now;
	return (0);
}

/* A call ended: hand its outcome to the book. */
static int
rp_finish(struct reqpoll *rp, struct reqbook *b, CURLcode rc, double now,
    double pnow, struct event_log *log)
{
	struct reqfeed_msg	 m;
	curl_off_t		 dl = 0;
	long			 code = 0, hs = 0, rs = 0;
	char			 why[160], reason[160];
	int			 changed = 0, failed;

	curl_multi_remove_handle(rp->multi, rp->easy);
	rp->in_flight = 0;
	curl_easy_getinfo(rp->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(rp->easy, CURLINFO_SIZE_DOWNLOAD_T, &dl);
	curl_easy_getinfo(rp->easy, CURLINFO_HEADER_SIZE, &hs);
	curl_easy_getinfo(rp->easy, CURLINFO_REQUEST_SIZE, &rs);
	rp->st.code = rc == CURLE_OK ? code : 0;
	rp->st.create = rp->kind;
	rp->st.tx_head = rs > 0 ? (uint64_t)rs - (rp->kind >= 0 ?
	    rp->tx.len : 0) : 0;
	rp->st.tx_body = rp->kind >= 0 ? rp->tx.len : 0;
	rp->st.rx_head = hs > 0 ? (uint64_t)hs : 0;
	rp->st.rx_body = dl > 0 ? (uint64_t)dl : 0;
	rp->st.calls++;

	failed = rc != CURLE_OK || code == 0 || code == 429 || code >= 500 ||
	    code == 401;
	if (rc != CURLE_OK)
		bc_why(rp->error, sizeof rp->error, "requests: %s",
		    curl_easy_strerror(rc));
	else if (failed)
		bc_why(rp->error, sizeof rp->error, "requests: HTTP %ld%s",
		    code, code == 401 ? " (the token is not a side's)" : "");
	rp->up = rc == CURLE_OK && code != 0;
	/* What the views show: the book is what they read. */
	snprintf(b->carrier, sizeof b->carrier, "%s", failed ? rp->error : "");
	if (failed) {
		rp->failures++;
		rp->not_before = now + fmax(rp->rx_retry_s,
		    fmin(REQPOLL_BACKOFF_MAX_S, pow(2, rp->failures)));
		return (0);
	}
	rp->failures = 0;
	rp->error[0] = '\0';
	if (rp->kind >= 0) {
		str_clean(reason, sizeof reason, rp->rx.p != NULL ?
		    rp->rx.p : "", rp->rx.len);
		reason[strcspn(reason, "\n")] = '\0';
		changed = reqbook_sent(b, rp->index, rp->kind, code, reason);
		if (!changed) {
			/* Neither taken nor refused for good: try later. */
			bc_why(rp->error, sizeof rp->error, "requests: HTTP "
			    "%ld: %s", code, reason);
			rp->failures++;
			rp->not_before = now + fmin(REQPOLL_BACKOFF_MAX_S,
			    pow(2, rp->failures));
			return (0);
		}
		rp->next_list = 0;	/* see what it did */
		return (changed);
	}
	if (code == 304)
		return (0);
	if (code != 200) {
		bc_why(rp->error, sizeof rp->error, "requests: HTTP %ld",
		    code);
		snprintf(b->carrier, sizeof b->carrier, "%s", rp->error);
		rp->next_list = now + REQPOLL_BACKOFF_MAX_S;
		return (0);
	}
	if (reqfeed_parse_list(rp->rx.p != NULL ? rp->rx.p : "", rp->rx.len,
	    b->cfg.side_codes, &m, why, sizeof why) != BC_OK) {
		bc_why(rp->error, sizeof rp->error, "requests: %s", why);
		return (0);
	}
	if (m.side >= 0)
		reqbook_set_side(b, m.side);
	reqbook_merge(b, &m, isfinite(m.server_time) ? m.server_time : pnow,
	    log);
	free(rp->cursor);
	rp->cursor = m.cursor != NULL ? xstrdup(m.cursor) : NULL;
	snprintf(rp->etag, sizeof rp->etag, "%s", rp->rx_etag);
	reqfeed_msg_done(&m);
	return (1);
}

int
reqpoll_timeout_ms(struct reqpoll *rp, const struct reqbook *b, double now)
{
	double	at;
	size_t	i;
	int	queued = 0;

	if (rp->in_flight)
		return (50);
	for (i = 0; i < b->n && !queued; i++)
		queued = b->v[i].pending_new || b->v[i].pending_answer;
	at = queued ? rp->not_before : fmax(rp->next_list, rp->not_before);
	if (at <= now)
		return (0);
	return ((int)fmin(ceil((at - now) * 1000), 600000));
}

int
reqpoll_step(struct reqpoll *rp, struct reqbook *b, double now, double pnow,
    struct event_log *log)
{
	struct CURLMsg	*msg;
	int		 running, left, create, changed = 0;
	long		 i;

	if (!rp->in_flight && now >= rp->not_before) {
		rp->tx.len = 0;
		i = reqbook_next(b, &create, &rp->tx);
		if (i >= 0) {
			if (rp_start(rp, b, create, i, now) != 0)
				return (0);
		} else if (now >= rp->next_list) {
			rp->next_list = now + rp->cfg.interval_s;
			if (rp_start(rp, b, -1, -1, now) != 0)
				return (0);
		}
	}
	if (!rp->in_flight)
		return (0);
	curl_multi_perform(rp->multi, &running);
	while ((msg = curl_multi_info_read(rp->multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == rp->easy)
			changed |= rp_finish(rp, b, msg->data.result, now,
			    pnow, log);
	return (changed);
}

int
reqpoll_up(const struct reqpoll *rp)
{
	return (rp->up);
}

const char *
reqpoll_error(const struct reqpoll *rp)
{
	return (rp->error);
}

const struct reqpoll_stats *
reqpoll_stats(const struct reqpoll *rp)
{
	return (&rp->st);
}

enum bc_status
reqpoll_sync(struct reqpoll *rp, struct reqbook *b, double (*clock)(void),
    double pnow, struct event_log *log, char *why, size_t whylen)
{
	unsigned long	calls0;
	size_t		i;
	int		queued, numfds;

	rp->next_list = 0;
	rp->not_before = 0;
	for (;;) {
		calls0 = rp->st.calls;
		reqpoll_step(rp, b, clock(), pnow, log);
		if (rp->st.calls != calls0) {
			if (rp->st.code == 0 || rp->st.code == 401 ||
			    rp->st.code == 429 || rp->st.code >= 500) {
				bc_why(why, whylen, "%s", rp->error);
				return (rp->st.code == 401 ? BC_AUTH : BC_NET);
			}
			for (i = 0, queued = 0; i < b->n; i++)
				queued |= b->v[i].pending_new ||
				    b->v[i].pending_answer;
			if (rp->st.create < 0 && !queued)
				return (BC_OK);
			if (!queued)
				rp->next_list = 0;
			continue;
		}
		curl_multi_poll(rp->multi, NULL, 0, 100, &numfds);
	}
}
