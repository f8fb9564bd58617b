/*
 * reqlink.c: requests for a running bordercop (see reqlink.h).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reqbook.h"
#include "reqlink.h"
#include "reqpoll.h"
#include "util.h"
#include "xmalloc.h"

enum bc_status
reqlink_parse_voices(const char *s, struct reqlink_voice *v, size_t max,
    size_t *n, char *why, size_t whylen)
{
	const char	*p, *end, *eq;
	size_t		 sl, nl;

	*n = 0;
	for (p = s; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		while (*p == ' ')
			p++;
		if (p == end)
			continue;
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL || eq == p || eq + 1 == end) {
			bc_why(why, whylen, "voice: want SECTOR=NUMBER, not "
			    "'%.*s'", (int)(end - p), p);
			return (BC_INVALID);
		}
		sl = (size_t)(eq - p);
		nl = (size_t)(end - eq - 1);
		if (*n == max || sl > REQ_SECTOR_MAX || nl >= 64) {
			bc_why(why, whylen, "voice: '%.*s' is too long or one "
			    "too many", (int)(end - p), p);
			return (BC_INVALID);
		}
		memcpy(v[*n].sector, p, sl);
		v[*n].sector[sl] = '\0';
		str_clean(v[*n].number, sizeof v[*n].number, eq + 1, nl);
		(*n)++;
	}
	return (BC_OK);
}

const char *
reqlink_state_dir(char *buf, size_t len, char *why, size_t whylen)
{
	const char	*xdg, *home;
	int		 n;

	xdg = getenv("XDG_STATE_HOME");
	home = getenv("HOME");
	/* A relative XDG_STATE_HOME is to be ignored (XDG spec). */
	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, len, "%s/bordercop", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(buf, len, "%s/.local/state/bordercop", home);
	else {
		bc_why(why, whylen, "no state directory: set XDG_STATE_HOME "
		    "or HOME");
		return (NULL);
	}
	if (n < 0 || (size_t)n >= len) {
		bc_why(why, whylen, "the state directory's path is too long");
		return (NULL);
	}
	return (buf);
}

const char *
reqlink_voice(const struct reqlink *rl, const char *sector)
{
	size_t	i;

	for (i = 0; i < rl->nvoices; i++)
		if (strcmp(rl->voices[i].sector, sector) == 0)
			return (rl->voices[i].number);
	return (NULL);
}

/* The config's line for a sector, else the map's (sector property). */
static const char *
reqlink_voice_cb(void *arg, int side, const char *sector)
{
	const struct reqlink	*rl = arg;
	const char		*v;
	size_t			 k;

	if ((v = reqlink_voice(rl, sector)) != NULL)
		return (v);
	for (k = 0; side >= 0 && side < NSIDES &&
	    k < rl->map->nsectors[side]; k++)
		if (strcmp(rl->map->sectors[side][k].code, sector) == 0)
			return (rl->map->sectors[side][k].voice);
	return (NULL);
}

enum bc_status
reqlink_new(const struct reqlink_config *cfg, struct reqlink **out,
    char *why, size_t whylen)
{
	struct reqlink		*rl;
	struct reqbook_config	 bc;
	struct reqpoll_config	 pc;
	char			 dir[4096], *path = NULL;
	const char		*d;
	enum bc_status		 st;
	int			 i;

	*out = NULL;
	rl = xcalloc(1, sizeof *rl);
	rl->map = cfg->map;
	if (cfg->voice != NULL && (st = reqlink_parse_voices(cfg->voice,
	    rl->voices, REQLINK_VOICES_MAX, &rl->nvoices, why, whylen)) !=
	    BC_OK) {
		free(rl);
		return (st);
	}
	memset(&bc, 0, sizeof bc);
	bc.side = -1;
	for (i = 0; i < NSIDES; i++) {
		bc.side_codes[i] = cfg->map->sides[i].code;
		if (cfg->side != NULL &&
		    strcasecmp(cfg->side, cfg->map->sides[i].code) == 0)
			bc.side = i;
	}
	if (cfg->side != NULL && bc.side < 0) {
		bc_why(why, whylen, "side: '%s' is not %s or %s", cfg->side,
		    cfg->map->sides[0].code, cfg->map->sides[1].code);
		free(rl);
		return (BC_USAGE);
	}
	bc.hold_s = cfg->hold_s;
	bc.escalate_s = cfg->escalate_s;
	bc.voice = reqlink_voice_cb;
	bc.voice_arg = rl;
	d = cfg->state_dir != NULL ? cfg->state_dir :
	    reqlink_state_dir(dir, sizeof dir, why, whylen);
	if (d == NULL) {
		free(rl);
		return (BC_IO);
	}
	xasprintf(&path, "%s/%s", d, REQBOOK_FILE);
	bc.queue_path = path;
	st = reqbook_init(&rl->book, &bc, why, whylen);
	free(path);
	if (st != BC_OK) {
		free(rl);
		return (st);
	}
	memset(&pc, 0, sizeof pc);
	pc.base_url = cfg->base_url;
	pc.token = cfg->token;
	pc.cacert = cfg->cacert;
	pc.interval_s = cfg->interval_s;
	if ((st = reqpoll_new(&pc, &rl->rp, why, whylen)) != BC_OK) {
		reqbook_done(&rl->book);
		free(rl);
		return (st);
	}
	*out = rl;
	return (BC_OK);
}

void
reqlink_free(struct reqlink *rl)
{
	if (rl == NULL)
		return;
	reqpoll_free(rl->rp);
	reqbook_done(&rl->book);
	free(rl);
}

int
reqlink_timeout_ms(struct reqlink *rl, double now)
{
	return (reqpoll_timeout_ms(rl->rp, &rl->book, now));
}

int
reqlink_step(struct reqlink *rl, double now, const struct picture *pic,
    double pnow, struct event_log *log)
{
	unsigned long	total = log->total;
	size_t		i;
	int		changed, queued = 0;

	for (i = 0; i < rl->book.n; i++)
		queued += rl->book.v[i].pending_new +
		    rl->book.v[i].pending_answer;
	changed = reqpoll_step(rl->rp, &rl->book, now, pnow, log);
	reqbook_measure(&rl->book, pic, pnow, log);
	for (i = 0; i < rl->book.n; i++)
		queued -= rl->book.v[i].pending_new +
		    rl->book.v[i].pending_answer;
	return (changed || queued != 0 || log->total != total);
}
