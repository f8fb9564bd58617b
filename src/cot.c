/*
 * cot.c: the picture as Cursor on Target events (see cot.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <sys/poll.h>	/* src/poll.h shadows <poll.h> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apiwrite.h"
#include "cot.h"
#include "util.h"
#include "xmalloc.h"

#define COT_CONNECT_MS	1000	/* a TCP connection that takes longer is
				   tried again later */
#define COT_UNKNOWN	"9999999.0"	/* CoT's "not known" for hae/ce/le */

enum cot_kind {
	COT_FILE,
	COT_TCP,
	COT_UDP
};

/* A gap as it was last sent. */
struct cot_gap {
	unsigned	id;
	double		a, b;
	double		sent;		/* picture clock, s */
	int		seen;		/* in the current picture */
};

struct cot {
	struct cot_config	 cfg;
	enum cot_kind		 kind;
	char			*dest;
	char			*host, *port;
	char			 station[64];
	int			 fd;		/* -1: not open */
	int			 own_fd;	/* close it (not stdout) */
	struct sockaddr_storage	 to;		/* UDP */
	socklen_t		 tolen;
	double			 tried;		/* last connection attempt,
						   monotonic s */
	struct cot_gap		*gaps;
	size_t			 ngaps, capgaps;
	unsigned long		 sent, lost;
	struct apibuf		 b;
};

/* CoT types of the unit kinds, after the affiliation "a-f-" or "a-n-". */
static const char *const cot_kind_type[KIND_COUNT] = {
	"G-U-C-I",	/* foot: infantry */
	"G-U-C-R-H",	/* horse: horse cavalry (reconnaissance) */
	"G-E-V-C",	/* atv: civilian-pattern vehicle */
	"G-E-V",	/* vehicle */
	"S-X",		/* boat: surface, non-military */
	"A-M-F-Q",	/* drone: UAV */
	"A-M-F",	/* aircraft: fixed wing */
	"G-E-S",	/* tower: sensor */
	"G",		/* other: ground */
};

/* Spanish names of the unit kinds and statuses, for the remarks. */
static const char *const cot_kind_es[KIND_COUNT] = {
	"a pie", "a caballo", "cuatrimoto", "vehículo", "embarcación",
	"dron", "aeronave", "torre", "otro"
};
static const char *const cot_status_es[STATUS_COUNT] = {
	"patrullaje", "atendiendo", "fijo", "regresando", "fuera de turno",
	"fuera de servicio", "otro"
};

static double
cot_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

/* "2026-11-28T02:00:00.000Z": CoT times carry milliseconds. */
static void
cot_time(double t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		s;
	long		ms;

	if (!isfinite(t))
		t = 0;
	s = (time_t)floor(t);
	ms = (long)floor((t - floor(t)) * 1000);
	if (ms > 999)
		ms = 999;
	if (gmtime_r(&s, &tm) == NULL || tm.tm_year > 9999 - 1900 ||
	    tm.tm_year < -1900) {
		snprintf(buf, len, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	    tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, (int)ms % 1000);
}

/* Text as XML attribute or element content: & < > " ' escaped. */
static void
cot_xml(struct apibuf *b, const char *s)
{
	const char	*p;

	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			apibuf_str(b, "&amp;");
			break;
		case '<':
			apibuf_str(b, "&lt;");
			break;
		case '>':
			apibuf_str(b, "&gt;");
			break;
		case '"':
			apibuf_str(b, "&quot;");
			break;
		case '\'':
			apibuf_str(b, "&apos;");
			break;
		default:
			apibuf_add(b, p, 1);
		}
	}
}

static void
cot_num(struct apibuf *b, double v, int ndec)
{
	apibuf_number(b, v, ndec);
}

/* The event's opening: <event ...><point .../>. */
static void
cot_head(struct apibuf *b, const char *uid, const char *type, const char *how,
    double now, double stale, double lat, double lon, const char *ce)
{
	char	t[40], st[40];

	cot_time(now, t, sizeof t);
	cot_time(stale, st, sizeof st);
	apibuf_str(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
	    "standalone=\"yes\"?><event version=\"2.0\" uid=\"");
	cot_xml(b, uid);
	apibuf_str(b, "\" type=\"");
	apibuf_str(b, type);
	apibuf_str(b, "\" how=\"");
	apibuf_str(b, how);
	apibuf_str(b, "\" time=\"");
	apibuf_str(b, t);
	apibuf_str(b, "\" start=\"");
	apibuf_str(b, t);
	apibuf_str(b, "\" stale=\"");
	apibuf_str(b, st);
	apibuf_str(b, "\"><point lat=\"");
	cot_num(b, lat, 6);
	apibuf_str(b, "\" lon=\"");
	cot_num(b, lon, 6);
	apibuf_str(b, "\" hae=\"" COT_UNKNOWN "\" ce=\"");
	apibuf_str(b, ce);
	apibuf_str(b, "\" le=\"" COT_UNKNOWN "\"/>");
}

static void
cot_gap_uid(const struct cot *c, unsigned id, char *buf, size_t len)
{
	snprintf(buf, len, "bordercop.%s.gap.%u", c->station, id);
}

/* A sector's code for the callsign, or "-". */
static const char *
cot_sector_code(const struct border_map *m, int side, int sector)
{
	if (sector < 0 || (size_t)sector >= m->nsectors[side])
		return ("-");
	return (m->sectors[side][sector].code);
}

static const char *
cot_sector_name(const struct border_map *m, int side, int sector)
{
	if (sector < 0 || (size_t)sector >= m->nsectors[side])
		return ("?");
	return (m->sectors[side][sector].name);
}

static void
cot_link_point(struct apibuf *b, double lat, double lon)
{
	apibuf_str(b, "<link point=\"");
	cot_num(b, lat, 6);
	apibuf_add(b, ",", 1);
	cot_num(b, lon, 6);
	apibuf_str(b, "\"/>");
}

/*
 * One open gap as a u-d-f drawing: its start on the line, every vertex of
 * the line strictly inside the stretch (every k-th when there are more
 * than COT_LINKS_MAX), its end.
 */
static void
cot_gap_event(struct cot *c, const struct picture *pic, const struct gap *g,
    double now)
{
	const struct border_map	*m = pic->map;
	struct apibuf		*b = &c->b;
	char			 uid[96], text[512], since[40];
	double			 lat, lon, len;
	size_t			 lo, hi, i, n, step;

	cot_gap_uid(c, g->id, uid, sizeof uid);
	border_point_at(m, (g->a + g->b) / 2, &lat, &lon);
	cot_head(b, uid, "u-d-f", "h-e", now, now + COT_STALE_INTERVALS *
	    c->cfg.interval_s, lat, lon, COT_UNKNOWN);
	apibuf_str(b, "<detail>");

	/* Vertices lo..hi-1 lie strictly inside (a, b). */
	for (lo = 0; lo < m->nverts && m->chain_km[lo] <= g->a; lo++)
		;
	for (hi = lo; hi < m->nverts && m->chain_km[hi] < g->b; hi++)
		;
	n = hi - lo;
	step = n > COT_LINKS_MAX - 2 ? (n + COT_LINKS_MAX - 3) /
	    (COT_LINKS_MAX - 2) : 1;
	border_point_at(m, g->a, &lat, &lon);
	cot_link_point(b, lat, lon);
	for (i = lo; i < hi; i += step)
		cot_link_point(b, m->lat[i], m->lon[i]);
	border_point_at(m, g->b, &lat, &lon);
	cot_link_point(b, lat, lon);

	len = g->b - g->a;
	/* Red, 4 px: the colour of a gap on the terminal's map. */
	apibuf_str(b, "<strokeColor value=\"-65536\"/>"
	    "<strokeWeight value=\"4.0\"/><strokeStyle value=\"solid\"/>"
	    "<labels_on value=\"true\"/><contact callsign=\"");
	snprintf(text, sizeof text, "GAP %u %.1f km %s/%s", g->id, len,
	    cot_sector_code(m, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    cot_sector_code(m, SIDE_RIGHT, g->sector[SIDE_RIGHT]));
	cot_xml(b, text);
	apibuf_str(b, "\"/><remarks>");
	if (isfinite(g->open_since)) {
		time_format_rfc3339(g->open_since, since, sizeof since);
	} else
		snprintf(since, sizeof since, "?");
	/* A gap open when the program started: since at least then. */
	snprintf(text, sizeof text, "Uncovered border: %.1f km, km %.1f to "
	    "%.1f (%s / %s)%s%s, open since %s%s. ", len, g->a, g->b,
	    cot_sector_name(m, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    cot_sector_name(m, SIDE_RIGHT, g->sector[SIDE_RIGHT]),
	    g->near[0] != '\0' ? ", " : "", g->near,
	    g->open_before ? "at least " : "", since);
	cot_xml(b, text);
	snprintf(text, sizeof text, "Frontera sin cobertura: %.1f km, del "
	    "km %.1f al %.1f (%s / %s), abierta desde %s%s.", len, g->a, g->b,
	    cot_sector_name(m, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    cot_sector_name(m, SIDE_RIGHT, g->sector[SIDE_RIGHT]),
	    g->open_before ? "por lo menos " : "", since);
	cot_xml(b, text);
	apibuf_str(b, "</remarks></detail></event>");
}

/* The delete of a gap's drawing: t-x-d-d, same uid, __forcedelete. */
static void
cot_delete_event(struct cot *c, unsigned id, double now)
{
	struct apibuf	*b = &c->b;
	char		 uid[96];

	cot_gap_uid(c, id, uid, sizeof uid);
	cot_head(b, uid, "t-x-d-d", "h-g-i-g-o", now, now + 20, 0, 0,
	    COT_UNKNOWN);
	apibuf_str(b, "<detail><link uid=\"");
	cot_xml(b, uid);
	apibuf_str(b, "\" relation=\"none\" type=\"none\"/>"
	    "<__forcedelete/></detail></event>");
}

static void
cot_unit_event(struct cot *c, const struct picture *pic,
    const struct pic_unit *u, double now)
{
	const struct report	*r = &u->r;
	const struct border_map	*m = pic->map;
	struct apibuf		*b = &c->b;
	char			 uid[UNIT_ID_MAX + 32], type[32], ce[32];
	char			 text[512];
	double			 stale, cap;
	int			 st;

	snprintf(uid, sizeof uid, "bordercop.unit.%s", r->id);
	snprintf(type, sizeof type, "a-%c-%s", r->side == c->cfg.own_side ?
	    'f' : 'n', cot_kind_type[r->kind]);
	if (isfinite(r->ce_m))
		snprintf(ce, sizeof ce, "%.1f", r->ce_m);
	else
		snprintf(ce, sizeof ce, COT_UNKNOWN);
	stale = isfinite(r->stale_at) ? r->stale_at :
	    r->time + pic->cfg.stale_after_s;
	cap = now + COT_STALE_INTERVALS * c->cfg.interval_s;
	if (stale > cap)
		stale = cap;
	if (stale <= now)
		stale = now + 1;
	cot_head(b, uid, type, "m-g", now, stale, r->lat, r->lon, ce);
	apibuf_str(b, "<detail><contact callsign=\"");
	cot_xml(b, r->callsign[0] != '\0' ? r->callsign : r->id);
	apibuf_str(b, "\"/>");
	if (isfinite(r->heading_deg) || isfinite(r->speed_kmh)) {
		apibuf_str(b, "<track course=\"");
		cot_num(b, isfinite(r->heading_deg) ? r->heading_deg : 0, 1);
		apibuf_str(b, "\" speed=\"");
		cot_num(b, isfinite(r->speed_kmh) ? r->speed_kmh / 3.6 : 0, 2);
		apibuf_str(b, "\"/>");
	}
	st = r->status < STATUS_COUNT ? (int)r->status : STATUS_UNKNOWN;
	snprintf(text, sizeof text, "%s %s %s, %s. / %s %s %s, %s.",
	    m->sides[r->side].code, r->agency, r->kind_text[0] != '\0' ?
	    r->kind_text : unit_kind_names[r->kind], r->status_text[0] !=
	    '\0' ? r->status_text : unit_status_names[st],
	    m->sides[r->side].code, r->agency, cot_kind_es[r->kind],
	    cot_status_es[st]);
	apibuf_str(b, "<remarks>");
	cot_xml(b, text);
	apibuf_str(b, "</remarks></detail></event>");
}

/* Connect a TCP socket without blocking for more than COT_CONNECT_MS. */
static int
cot_connect(struct cot *c, char *why, size_t whylen)
{
	struct addrinfo	 hints, *res, *ai;
	struct pollfd	 pfd;
	socklen_t	 sl;
	int		 fd = -1, err = 0, rc;

	c->tried = cot_mono();
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = c->kind == COT_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if ((rc = getaddrinfo(c->host, c->port, &hints, &res)) != 0) {
		bc_why(why, whylen, "--cot %s: %s", c->dest, gai_strerror(rc));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		if (c->kind == COT_UDP) {
			memcpy(&c->to, ai->ai_addr, ai->ai_addrlen);
			c->tolen = ai->ai_addrlen;
			break;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			sl = sizeof err;
			if (poll(&pfd, 1, COT_CONNECT_MS) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &sl) == 0 && err == 0)
				break;
			if (err == 0)
				err = ETIMEDOUT;
		} else
			err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		bc_why(why, whylen, "--cot %s: %s", c->dest, strerror(err));
		return (-1);
	}
	c->fd = fd;
	return (0);
}

/* Send the buffered event; on a failure the event is lost, counted. */
static enum bc_status
cot_flush(struct cot *c, char *why, size_t whylen)
{
	ssize_t	n;
	size_t	off;

	if (c->b.len == 0)
		return (BC_OK);
	if (c->fd == -1 && c->kind == COT_TCP &&
	    cot_mono() - c->tried >= COT_RETRY_S)
		(void)cot_connect(c, why, whylen);
	if (c->fd == -1) {
		c->lost++;
		c->b.len = 0;
		bc_why(why, whylen, "--cot %s: not connected", c->dest);
		return (BC_NET);
	}
	if (c->kind == COT_UDP) {
		n = sendto(c->fd, c->b.p, c->b.len, MSG_DONTWAIT, (struct
		    sockaddr *)&c->to, c->tolen);
		c->b.len = 0;
		if (n < 0) {
			c->lost++;
			bc_why(why, whylen, "--cot %s: %s", c->dest,
			    strerror(errno));
			return (BC_NET);
		}
		c->sent++;
		return (BC_OK);
	}
	apibuf_add(&c->b, "\n", 1);
	for (off = 0; off < c->b.len; off += (size_t)n) {
		if (c->kind == COT_TCP)
			n = send(c->fd, c->b.p + off, c->b.len - off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			n = write(c->fd, c->b.p + off, c->b.len - off);
		if (n <= 0) {
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			bc_why(why, whylen, "--cot %s: %s", c->dest, n < 0 ?
			    strerror(errno) : "cannot write");
			c->b.len = 0;
			c->lost++;
			if (c->kind == COT_TCP) {
				/* Half an event went: start a new stream. */
				close(c->fd);
				c->fd = -1;
				return (BC_NET);
			}
			return (BC_IO);
		}
	}
	c->b.len = 0;
	c->sent++;
	return (BC_OK);
}

/* Split "HOST:PORT" or "[V6]:PORT". */
static int
cot_hostport(struct cot *c, const char *s)
{
	const char	*colon, *end;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL || end[1] != ':')
			return (-1);
		c->host = xstrndup(s + 1, (size_t)(end - s - 1));
		colon = end + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL || colon == s)
			return (-1);
		c->host = xstrndup(s, (size_t)(colon - s));
	}
	if (colon[1] == '\0' || strspn(colon + 1, "0123456789") !=
	    strlen(colon + 1) || atoi(colon + 1) < 1 ||
	    atoi(colon + 1) > 65535 || strlen(colon + 1) > 5)
		return (-1);
	c->port = xstrdup(colon + 1);
	return (0);
}

enum bc_status
cot_open(const struct cot_config *cfg, struct cot **out, char *why,
    size_t whylen)
{
	struct cot	*c;
	struct stat	 st;
	const char	*rest;
	size_t		 i;
	int		 ttl = 1;

	*out = NULL;
	if (cfg->dest == NULL || *cfg->dest == '\0') {
		bc_why(why, whylen, "--cot: no destination");
		return (BC_USAGE);
	}
	if (!(cfg->interval_s > 0)) {
		bc_why(why, whylen, "--cot: the poll interval must be positive");
		return (BC_USAGE);
	}
	if (cfg->units != COT_UNITS_NONE && cfg->own_side != SIDE_LEFT &&
	    cfg->own_side != SIDE_RIGHT) {
		bc_why(why, whylen, "--cot-units needs this station's side "
		    "(--side)");
		return (BC_USAGE);
	}
	c = xcalloc(1, sizeof *c);
	c->cfg = *cfg;
	c->fd = -1;
	c->dest = xstrdup(cfg->dest);
	c->cfg.dest = c->dest;
	c->cfg.station = NULL;
	apibuf_init(&c->b);
	if (cfg->station != NULL)
		snprintf(c->station, sizeof c->station, "%s", cfg->station);
	else if (gethostname(c->station, sizeof c->station) != 0)
		c->station[0] = '\0';
	c->station[sizeof c->station - 1] = '\0';
	/* A uid part: letters, digits, '-' and '.' only. */
	for (i = 0; c->station[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-.", c->station[i]) == NULL)
			c->station[i] = '-';
	if (c->station[0] == '\0')
		snprintf(c->station, sizeof c->station, "bordercop");

	if (strncmp(cfg->dest, "tcp://", 6) == 0 ||
	    strncmp(cfg->dest, "udp://", 6) == 0) {
		c->kind = cfg->dest[0] == 't' ? COT_TCP : COT_UDP;
		rest = cfg->dest + 6;
		if (cot_hostport(c, rest) != 0) {
			bc_why(why, whylen, "--cot %s: want %s://HOST:PORT "
			    "(port 1 to 65535)", cfg->dest,
			    c->kind == COT_TCP ? "tcp" : "udp");
			cot_close(c);
			return (BC_USAGE);
		}
		if (cot_connect(c, why, whylen) != 0) {
			cot_close(c);
			return (BC_NET);
		}
		/* Multicast stays on the local network. */
		if (c->kind == COT_UDP) {
			(void)setsockopt(c->fd, IPPROTO_IP, IP_MULTICAST_TTL,
			    &ttl, sizeof ttl);
			(void)setsockopt(c->fd, IPPROTO_IPV6,
			    IPV6_MULTICAST_HOPS, &ttl, sizeof ttl);
		}
	} else if (strstr(cfg->dest, "://") != NULL) {
		bc_why(why, whylen, "--cot %s: tcp://HOST:PORT, "
		    "udp://HOST:PORT or a file", cfg->dest);
		cot_close(c);
		return (BC_USAGE);
	} else if (strcmp(cfg->dest, "-") == 0) {
		c->kind = COT_FILE;
		c->fd = STDOUT_FILENO;
	} else {
		c->kind = COT_FILE;
		/* O_NONBLOCK: a FIFO without a reader is refused, not
		   waited for; the events are the picture, 0600. */
		c->fd = open(cfg->dest, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
		if (c->fd == -1 || fstat(c->fd, &st) == -1 ||
		    (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))) {
			bc_why(why, whylen, "--cot %s: %s", cfg->dest,
			    c->fd == -1 ? strerror(errno) :
			    "not a regular file");
			cot_close(c);
			return (BC_IO);
		}
		c->own_fd = 1;
		(void)fcntl(c->fd, F_SETFL, O_WRONLY | O_APPEND);
	}
	if (c->kind != COT_FILE)
		c->own_fd = 1;
	*out = c;
	return (BC_OK);
}

void
cot_close(struct cot *c)
{
	if (c == NULL)
		return;
	if (c->fd != -1 && c->own_fd)
		close(c->fd);
	apibuf_done(&c->b);
	free(c->gaps);
	free(c->dest);
	free(c->host);
	free(c->port);
	free(c);
}

unsigned long
cot_sent(const struct cot *c)
{
	return (c->sent);
}

unsigned long
cot_lost(const struct cot *c)
{
	return (c->lost);
}

static struct cot_gap *
cot_find(struct cot *c, unsigned id)
{
	size_t	i;

	for (i = 0; i < c->ngaps; i++)
		if (c->gaps[i].id == id)
			return (&c->gaps[i]);
	return (NULL);
}

enum bc_status
cot_update(struct cot *c, const struct picture *pic, double now, int fresh,
    char *why, size_t whylen)
{
	const struct gap	*g;
	struct cot_gap		*s;
	const struct pic_unit	*u;
	enum bc_status		 st, ret = BC_OK;
	size_t			 i, j;

	/* An unknown picture (no data for longer than stale_after) is
	   never shown as gaps: nothing is sent, and the drawings go stale
	   on the TAK screens, which grey them out or drop them. */
	if (pic->unknown)
		return (BC_OK);
	for (i = 0; i < c->ngaps; i++)
		c->gaps[i].seen = 0;
	for (i = 0; i < pic->ngaps; i++) {
		g = &pic->gaps[i];
		if (g->id == 0)
			continue;	/* not tracked: no stable uid */
		if ((s = cot_find(c, g->id)) == NULL) {
			if (c->ngaps == c->capgaps) {
				c->capgaps = c->capgaps ? c->capgaps * 2 : 16;
				c->gaps = xreallocarray(c->gaps, c->capgaps,
				    sizeof *c->gaps);
			}
			s = &c->gaps[c->ngaps++];
			s->id = g->id;
			s->sent = -INFINITY;
		} else if (s->a == g->a && s->b == g->b &&
		    now - s->sent < c->cfg.interval_s && now >= s->sent) {
			s->seen = 1;
			continue;
		}
		s->seen = 1;
		s->a = g->a;
		s->b = g->b;
		s->sent = now;
		cot_gap_event(c, pic, g, now);
		if ((st = cot_flush(c, why, whylen)) != BC_OK)
			ret = st;
	}
	/* Gaps gone: delete their drawings now. */
	for (i = j = 0; i < c->ngaps; i++) {
		if (c->gaps[i].seen) {
			c->gaps[j++] = c->gaps[i];
			continue;
		}
		cot_delete_event(c, c->gaps[i].id, now);
		if ((st = cot_flush(c, why, whylen)) != BC_OK)
			ret = st;
	}
	c->ngaps = j;

	if (c->cfg.units == COT_UNITS_NONE || !fresh || pic->units == NULL)
		return (ret);
	for (i = 0; i < pic->units->n; i++) {
		u = &pic->units->v[i];
		if (u->state != STATE_FRESH)
			continue;
		if (c->cfg.units == COT_UNITS_OWN &&
		    u->r.side != c->cfg.own_side)
			continue;
		cot_unit_event(c, pic, u, now);
		if ((st = cot_flush(c, why, whylen)) != BC_OK)
			ret = st;
	}
	return (ret);
}
