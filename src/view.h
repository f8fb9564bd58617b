/*
 * view.h: what the ui and its views share; included by ui.c and view_*.c
 * only (it includes <curses.h>).
 *
 * Each view is a table of functions (struct view_ops).  A view's key
 * handler returns what must happen as a bit mask of ACT_* and never draws;
 * its draw function draws into a window that the ui has erased, and never
 * refreshes.  The ui keeps dirty flags and calls doupdate() once a frame.
 */
#ifndef BORDERCOP_VIEW_H
#define BORDERCOP_VIEW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "reqbook.h"
#include "ui.h"
#include "unit.h"

/* Views, in the order of the keys 1-5. */
#define UI_VIEWS(X)				\
	X(MAP,		"Map",		map)	\
	X(SECTORS,	"Sectors",	sectors) \
	X(UNITS,	"Units",	units)	\
	X(GAPS,		"Gaps",		gaps)	\
	X(HELP,		"Help",		help)	\
	X(REQUESTS,	"Requests",	requests)

enum view_id {
#define X(id, title, fn) VIEW_##id,
	UI_VIEWS(X)
#undef X
	VIEW_COUNT
};

/* Key scopes: where a key means something. */
#define KS_ALL		((1 << VIEW_COUNT) - 1)
#define KS_MAP		(1 << VIEW_MAP)
#define KS_SECTORS	(1 << VIEW_SECTORS)
#define KS_UNITS	(1 << VIEW_UNITS)
#define KS_GAPS		(1 << VIEW_GAPS)
#define KS_HELP		(1 << VIEW_HELP)
#define KS_REQUESTS	(1 << VIEW_REQUESTS)
#define KS_LISTS	(KS_UNITS | KS_GAPS | KS_HELP | KS_SECTORS | \
			    KS_REQUESTS)
#define KS_MAIN		(KS_MAP | KS_SECTORS | KS_UNITS | KS_GAPS | \
			    KS_REQUESTS)

#define CTRL_KEY(c)	((c) & 0x1f)
#define KEY_ESC_CODE	27

/*
 * Every key, defined once: id, scope, up to two key codes, the label shown
 * in help and the help text.  Dispatch looks the code up here (the current
 * view's scope first) and hands the id to the view; the help view prints
 * this table.
 */
#define UI_KEYS(X)							\
	X(HELP,		KS_ALL,	'?',	'5',	"? 5",	"this help (again: close it)") \
	X(V_MAP,	KS_ALL,	'1',	0,	"1",	"map view")		\
	X(V_SECTORS,	KS_ALL,	'2',	0,	"2",	"sector strips")	\
	X(V_UNITS,	KS_ALL,	'3',	0,	"3",	"unit board")		\
	X(V_GAPS,	KS_ALL,	'4',	0,	"4",	"gaps, overlaps, events") \
	X(V_REQUESTS,	KS_ALL,	'6',	0,	"6",	"requests between the sides") \
	X(V_NEXT,	KS_ALL,	'\t',	0,	"Tab",	"next view")		\
	X(V_PREV,	KS_ALL,	KEY_BTAB, 0,	"S-Tab", "previous view")	\
	X(REDRAW,	KS_ALL,	CTRL_KEY('l'), 0, "^L",	"clear and redraw the screen") \
	X(PAUSE,	KS_ALL,	'p',	0,	"p",				\
	    "pause the screen (the feed goes on); again: resume")	\
	X(ACK,		KS_ALL,	'a',	0,	"a",	"acknowledge the oldest alert") \
	X(LONGEST,	KS_ALL,	'L',	0,	"L",				\
	    "the longest open gap on the map")				\
	X(QUIT,		KS_MAIN, 'q',	0,	"q",	"quit and restore the terminal") \
	X(R_ENTER,	KS_MAIN, 'R',	0,	"R",				\
	    "replay this session (keys: z . , > < } { T)")		\
	X(BACK,		KS_HELP, 'q',	KEY_ESC_CODE, "q Esc", "close the help") \
	X(SECTOR,	KS_MAP | KS_SECTORS, 's', 0, "s",			\
	    "go to a sector: type its code, Enter")			\
	X(NEXT_GAP,	KS_MAP | KS_SECTORS | KS_GAPS, 'n', 0, "n",		\
	    "next gap, longest first (as listed in 4)")	\
	X(PREV_GAP,	KS_MAP | KS_SECTORS | KS_GAPS, 'N', 0, "N",		\
	    "previous gap, longest first")				\
	X(EAST_GAP,	KS_MAP | KS_SECTORS | KS_GAPS, ']', 0, "]",		\
	    "next gap west to east")					\
	X(WEST_GAP,	KS_MAP | KS_SECTORS | KS_GAPS, '[', 0, "[",		\
	    "next gap east to west")					\
	X(ZOOM_IN,	KS_MAP,	'+',	'=',	"+ =",	"zoom in")		\
	X(ZOOM_OUT,	KS_MAP,	'-',	'_',	"- _",	"zoom out")		\
	X(PAN_LEFT,	KS_MAP,	KEY_LEFT, 'h',	"Left h", "pan west")		\
	X(PAN_RIGHT,	KS_MAP,	KEY_RIGHT, 'l',	"Right l", "pan east")	\
	X(PAN_UP,	KS_MAP,	KEY_UP,	'k',	"Up k",	"pan north")		\
	X(PAN_DOWN,	KS_MAP,	KEY_DOWN, 'j',	"Down j", "pan south")		\
	X(FIT,		KS_MAP,	'0',	0,	"0",	"fit the whole border")	\
	X(TRAILS,	KS_MAP,	't',	0,	"t",				\
	    "trails: each unit's last 30 min")			\
	X(CENTRE,	KS_MAP | KS_UNITS, 'c', 0, "c",				\
	    "centre the map on the selected unit")			\
	X(FOLLOW,	KS_MAP | KS_UNITS, 'F', 0, "F",				\
	    "follow the selected unit (again, 0 or a pan: stop)")	\
	X(UP,		KS_LISTS, KEY_UP, 'k',	"Up k",	"previous line")	\
	X(DOWN,		KS_LISTS, KEY_DOWN, 'j', "Down j", "next line")		\
	X(PGUP,		KS_LISTS, KEY_PPAGE, 0,	"PgUp",	"page up")		\
	X(PGDN,		KS_LISTS, KEY_NPAGE, ' ', "PgDn Space", "page down")	\
	X(HOME,		KS_LISTS, KEY_HOME, 'g', "Home g", "first line")	\
	X(END,		KS_LISTS, KEY_END, 'G',	"End G", "last line")		\
	X(SHOW,		KS_SECTORS | KS_GAPS, '\n', KEY_ENTER, "Enter",	\
	    "show the selected row on the map, zoomed to fit")		\
	X(SORT,		KS_UNITS, 'o',	0,	"o",	"cycle the sort column")	\
	X(SORT_REV,	KS_UNITS, 'O',	0,	"O",	"reverse the sort")	\
	X(F_SIDE,	KS_UNITS, 'f',	0,	"f",	"filter by side (all, then each)") \
	X(F_STATE,	KS_UNITS, 't',	0,	"t",	"filter by state (fresh...inactive)") \
	X(F_SECTOR,	KS_UNITS, 'e',	0,	"e",	"filter by sector (cycles)") \
	X(F_CLEAR,	KS_UNITS, 'r',	0,	"r",	"clear filters")	\
	X(SEARCH,	KS_UNITS, '/',	0,	"/",				\
	    "search callsign or id (Enter keeps, Esc cancels)")		\
	X(MATCH_NEXT,	KS_UNITS, 'n',	0,	"n",	"next match of the search") \
	X(MATCH_PREV,	KS_UNITS, 'N',	0,	"N",	"previous match")	\
	X(DETAILS,	KS_UNITS, '\n',	KEY_ENTER, "Enter",			\
	    "details of the selected unit (Esc or q closes)")		\
	X(CLOSE,	KS_UNITS, KEY_ESC_CODE, 0, "Esc", "close details") \
	X(REQ_COVER,	KS_ALL,	'V',	0,	"V",				\
	    "ask the other side to cover the gap (request)") \
	X(REQ_ACCEPT,	KS_REQUESTS, 'A', 0,	"A",	"accept the selected request") \
	X(REQ_DECLINE,	KS_REQUESTS, 'D', 0,	"D",	"decline it, with a reason") \
	X(REQ_COUNTER,	KS_REQUESTS, 'C', 0,	"C",	"counter: another stretch") \
	X(REQ_CLOSE,	KS_REQUESTS, 'W', 0,	"W",	"withdraw our request") \
	X(REQ_MORE,	KS_REQUESTS, ']', 0,	"]",				\
	    "scroll the selected request's detail down")		\
	X(REQ_LESS,	KS_REQUESTS, '[', 0,	"[",	"scroll it up")

enum ui_key_id {
#define X(id, scope, c1, c2, label, help) UK_##id,
	UI_KEYS(X)
#undef X
	UK_COUNT
};

struct ui_key {
	int		 scope;
	int		 code[2];
	const char	*label;
	const char	*help;
};
extern const struct ui_key ui_keys[UK_COUNT];

/* What a view's handler asks for (a bit mask); the details of a switch,
   a prompt, a goto, a selection or a message are in its struct view_req. */
#define ACT_VIEW	0x001	/* redraw the current view */
#define ACT_STATUS	0x002	/* redraw the status line */
#define ACT_FOOT	0x004	/* redraw the footer */
#define ACT_ALL		0x008	/* redraw every window */
#define ACT_CLEAR	0x010	/* clear() then redraw everything (^L) */
#define ACT_QUIT	0x020
#define ACT_SWITCH	0x040	/* show req->view */
#define ACT_PROMPT	0x080	/* open the prompt req->prompt */
#define ACT_GOTO	0x100	/* req->view shows req->go (its show op) */
#define ACT_SELECT	0x200	/* req->unit is the selected unit */
#define ACT_MSG		0x400	/* req->msg goes to the footer */
#define ACT_ACK		0x800	/* ui->acks was raised */
#define ACT_REPLAY	0x1000	/* ui->replay_req asks the driver */

/*
 * The keys of a replay, live only while one is shown (ui->replaying):
 * the footer lists them then, and R's line in the help names them.
 * Columns: key, request, the footer's word for it (NULL: it shares the
 * word before).
 */
#define UI_REPLAY_KEYS(X)			\
	X('z',	UIR_PAUSE,	"pause")	\
	X('.',	UIR_FWD,	"step")		\
	X(',',	UIR_BACK,	NULL)		\
	X('>',	UIR_FASTER,	"speed")	\
	X('<',	UIR_SLOWER,	NULL)		\
	X('}',	UIR_NEXT_ALERT,	"alert")	\
	X('{',	UIR_PREV_ALERT,	NULL)		\
	X('T',	UIR_GOTO,	"time")		\
	X('R',	UIR_ENTER,	"live")

/* Colour roles: id, 256-colour fg/bg, 8-colour fg/bg, attributes with
   colour, attributes in monochrome.  -1 is the terminal's default. */
#define UI_ROLES(X)							\
	X(NORMAL,  -1,  -1,  -1,		-1,		0,	0)	\
	X(BAR,     -1,  236, COLOR_WHITE,	COLOR_BLUE,	0,	A_REVERSE) \
	X(LEFT,    75,  -1,  COLOR_CYAN,	-1,		A_BOLD,	0)	\
	X(RIGHT,   114, -1,  COLOR_GREEN,	-1,		A_BOLD,	0)	\
	X(LINE,    250, -1,  COLOR_WHITE,	-1,		0,	0)	\
	X(GAP,     196, -1,  COLOR_RED,		-1,		A_BOLD | A_REVERSE, \
	    A_BOLD | A_REVERSE)						\
	X(GAPPART, 208, -1,  COLOR_YELLOW,	-1,		A_BOLD | A_UNDERLINE, \
	    A_BOLD | A_UNDERLINE)					\
	X(GAPALERT, 226, 160, COLOR_YELLOW,	COLOR_RED,	A_BOLD,	\
	    A_BOLD | A_REVERSE | A_UNDERLINE)				\
	X(UNKNOWN, 244, -1,  COLOR_WHITE,	-1,		A_DIM,	A_DIM)	\
	X(ACROSS,  201, -1,  COLOR_MAGENTA,	-1,		A_BOLD | A_REVERSE, \
	    A_BOLD | A_REVERSE)						\
	X(SECTOR,  180, -1,  COLOR_YELLOW,	-1,		0,	0)	\
	X(PLACE,   253, -1,  COLOR_WHITE,	-1,		0,	0)	\
	X(DIM,     244, -1,  COLOR_WHITE,	-1,		A_DIM,	A_DIM)	\
	X(ALERT,   231, 160, COLOR_WHITE,	COLOR_RED,	A_BOLD,	A_BOLD | A_REVERSE) \
	X(SELECT,  -1,  -1,  -1,		-1,		A_REVERSE, A_REVERSE) \
	X(HEAD,    -1,  -1,  -1,		-1,		A_BOLD,	A_BOLD)	\
	X(OK,      34,  -1,  COLOR_GREEN,	-1,		0,	0)	\
	X(WARN,    178, -1,  COLOR_YELLOW,	-1,		A_BOLD,	A_BOLD)	\
	X(BAD,     196, -1,  COLOR_RED,		-1,		A_BOLD,	A_BOLD | A_REVERSE) \
	X(BOTH,    250, -1,  COLOR_WHITE,	-1,		0,	0)

enum ui_role {
#define X(id, f256, b256, f8, b8, ca, ma) ROLE_##id,
	UI_ROLES(X)
#undef X
	ROLE_COUNT
};

/* Glyphs: id, UTF-8, ASCII.  Sides are told apart by shape, not colour. */
#define UI_GLYPHS(X)					\
	X(UNIT_LEFT,	"\xe2\x96\xb2",	"^")	/* U+25B2 */	\
	X(UNIT_RIGHT,	"\xe2\x96\xbc",	"v")	/* U+25BC */	\
	X(UNIT_LOST,	"\xc3\x97",	"x")	/* U+00D7 */	\
	X(STALE_LEFT,	"\xe2\x96\xb3",	"'")	/* U+25B3 */	\
	X(STALE_RIGHT,	"\xe2\x96\xbd",	",")	/* U+25BD */	\
	X(J_PART,	"\xe2\x96\x91",	":")	/* U+2591 */	\
	X(ACROSS,	"!",		"!")			\
	X(PLACE,	"\xe2\x80\xa2",	"*")	/* U+2022 */	\
	X(TICK,		"\xe2\x94\x82",	"|")	/* U+2502 */	\
	X(J_BOTH,	"\xe2\x96\x88",	"=")	/* U+2588 */	\
	X(J_LEFT,	"\xe2\x96\x80",	NULL)	/* U+2580; ASCII: code */ \
	X(J_RIGHT,	"\xe2\x96\x84",	NULL)	/* U+2584; ASCII: code */ \
	X(J_GAP,	"!",		"!")			\
	X(J_HOLE,	"\xc2\xb7",	".")	/* U+00B7 */	\
	X(SEP,		"\xe2\x94\x82",	"|")			\
	X(DASH,		"\xe2\x80\x93",	"-")	/* U+2013 */	\
	X(HLINE,	"\xe2\x94\x80",	"-")	/* U+2500 */

enum ui_glyph {
#define X(id, u, a) G_##id,
	UI_GLYPHS(X)
#undef X
	G_COUNT
};

enum ui_prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,		/* unit board: callsign or id */
	PROMPT_SECTOR,		/* map: a sector code */
	PROMPT_TIME,		/* replay: a time to go to */
	PROMPT_COVER,		/* a cover request: target and text */
	PROMPT_DECLINE,		/* the reason of a decline */
	PROMPT_COUNTER		/* FROM-TO km and a reason */
};

/* What a goto asks of the view that shows it (the map). */
enum view_go {
	GO_NONE,
	GO_KM,		/* the line between a and b (km) */
	GO_SECTOR,	/* sector idx of side */
	GO_GAP,		/* the gap with id gap */
	GO_GAP_STEP,	/* the next gap (dir +1/-1) in order */
	GO_LONGEST,	/* the longest open gap */
	GO_UNIT,	/* centre on unit */
	GO_FOLLOW	/* follow unit as it moves ("" stops) */
};

/* The orders that gap steps follow. */
enum gap_order {
	ORDER_LONGEST,	/* as the gaps view lists them */
	ORDER_WEST	/* west to east along the line */
};

#define UI_PROMPT_MAX	160
#define UI_MSG_MAX	256

/*
 * What a view's handler asks the ui to do (tig's requests, htop's
 * reactions): a view never writes the ui's fields; it returns ACT_* bits
 * and fills what they need here.  The ui applies them in the order
 * select, switch, goto, prompt, message.
 */
struct view_req {
	enum view_id	 view;		/* ACT_SWITCH and ACT_GOTO */
	enum ui_prompt	 prompt;	/* ACT_PROMPT */
	enum view_go	 go;		/* ACT_GOTO */
	double		 a, b;		/* GO_KM: chainage, km */
	int		 side, idx;	/* GO_SECTOR */
	unsigned	 gap;		/* GO_GAP: gap id */
	int		 dir;		/* GO_GAP_STEP: +1 or -1 */
	enum gap_order	 order;		/* GO_GAP_STEP */
	char		 unit[UNIT_ID_MAX + 1];	/* ACT_SELECT, GO_UNIT */
	char		 msg[UI_MSG_MAX];	/* ACT_MSG */
};

/* Prompt events handed to the view that opened the prompt. */
#define PROMPT_TYPED	0	/* the text changed */
#define PROMPT_ENTER	1
#define PROMPT_CANCEL	2

/*
 * A view: a table of functions (tig's view_ops, tmux's window_mode).
 * Only init and done write the ui (their own vstate slot); the others
 * read it and return ACT_* bits with a request.  Adding a view touches
 * only UI_VIEWS and this table.
 */
struct view_ops {
	const char	*title;
	void		(*init)(struct ui *);
	void		(*done)(struct ui *);
	/* The picture or map changed: recompute what the view keeps. */
	int		(*changed)(const struct ui *, struct view_req *);
	void		(*draw)(const struct ui *, WINDOW *);
	int		(*key)(const struct ui *, enum ui_key_id,
			    struct view_req *);
	/* The prompt this view opened: typed text, Enter or Esc. */
	int		(*prompt)(const struct ui *, const char *, int,
			    struct view_req *);
	/* Show what a goto asks (ACT_GOTO with req->view this view). */
	int		(*show)(const struct ui *, struct view_req *);
};

struct ui {
	struct ui_options	 opts;
	SCREEN			*screen;
	FILE			*out;
	int			 fd;		/* terminal input */
	int			 utf8;		/* UTF-8 glyphs and text */
	int			 text_utf8;	/* the locale takes UTF-8 */
	int			 colors;	/* 0, 8 or 256 */
	int			 dim;		/* the terminal can dim */
	attr_t			 attr[ROLE_COUNT];

	const struct picture	*pic;
	const struct border_map	*map;
	const struct link_status *link;
	const struct event_log	*log;
	double			 now;		/* local clock, epoch s */
	double			 offset;	/* picture clock - local, s */

	int			 cols, rows;
	int			 too_small;
	WINDOW			*wstatus;	/* row 0 */
	WINDOW			*wview;		/* rows 1 .. rows-2 */
	WINDOW			*wfoot;		/* last row */

	int			 dirty;		/* ACT_VIEW|ACT_STATUS|... */
	int			 dirty_clock;
	long			 drawn_second;	/* clock shown */
	int			 clock_x, age_x; /* fields in the status line */
	int			 page_shown;	/* the picture's age is shown */

	enum view_id		 view;
	enum view_id		 back_view;	/* where help returns */
	void			*vstate[VIEW_COUNT];

	enum ui_prompt		 prompt;
	enum view_id		 prompt_view;	/* the view that opened it */
	char			 prompt_buf[UI_PROMPT_MAX];
	size_t			 prompt_len;
	char			 msg[UI_MSG_MAX];	/* footer, until a key */

	char			 sel_id[UNIT_ID_MAX + 1];	/* selected unit */
	int			 sel_user;	/* chosen by a key, not by
						   default: the map marks it */

	enum ui_replay		 replay_req;	/* for the driver */
	int			 replaying;	/* a replay is shown */
	char			 replay_arg[UI_PROMPT_MAX];

	const struct alert_queue *alerts;	/* the engine's, borrowed */
	const struct reqbook	*reqs;		/* requests, borrowed */
	const struct recency	*rec;		/* the engine's, borrowed */
	const struct trails	*trails;	/* the engine's, borrowed */
	unsigned long		 rung;		/* alerts the bell rang for */
	int			 acks;		/* asked for, not yet passed */
	int			 paused;	/* the screen shows frozen */
	struct picture		*frozen;	/* owned copy, while paused */
	const struct picture	*live;		/* the newest, while paused */
	unsigned long		 newer;		/* pictures since the pause */
};

extern const struct view_ops view_map_ops, view_sectors_ops,
    view_units_ops, view_gaps_ops, view_help_ops, view_requests_ops;

/* ui.c: drawing helpers shared by the views. */
attr_t		 ui_attr(const struct ui *, enum ui_role);
attr_t		 ui_side_attr(const struct ui *, int side);
const char	*ui_glyph(const struct ui *, enum ui_glyph);
/*
 * All text reaches the screen through ui_put(): at most maxcols columns
 * of UTF-8 s at (y, x), fitted by text_fit() (display columns; ASCII in
 * ASCII mode).  Returns the columns written.
 */
int		 ui_put(const struct ui *, WINDOW *, int y, int x,
		    const char *s, int maxcols, attr_t);
int		 ui_putf(const struct ui *, WINDOW *, int y, int x,
		    int maxcols, attr_t, const char *fmt, ...)
		    __attribute__((format(printf, 7, 8)));
/* As ui_put(), but text cut to fit ends with a marker ("\u2026", or '~'
   in ASCII) so that a reader knows there is more. */
int		 ui_put_cut(const struct ui *, WINDOW *, int y, int x,
		    const char *s, int maxcols, attr_t);
/* Columns that s takes on screen, as ui_put() would show it. */
int		 ui_width(const struct ui *, const char *s);
/* s as ui_put() would show it (at most maxcols columns) into buf;
   returns its columns. */
int		 ui_text(const struct ui *, const char *s, int maxcols,
		    char *buf, size_t len);
int		 ui_scroll(enum ui_key_id, int *pos, int n, int page,
		    int select);
/* Keep a list's first row so that the selected row shows and no page
   ends short of the last row (after a filter, sort or resize). */
int		 ui_clamp_top(int top, int sel, int n, int page);
/* "35s", "12m05", "3h05", "2d" in at most 5 columns; "-" if unknown. */
void		 ui_age(double s, char *buf, size_t len);
/* Code of sector i of side, or "-". */
const char	*ui_sector_code(const struct ui *, int side, int i);
const char	*ui_side_code(const struct ui *, int side);
/* Find a unit by id in the picture's table, or NULL. */
const struct pic_unit *ui_unit(const struct ui *, const char *id);
/* Whether the ui has a picture to show (the first one came). */
int		 ui_has_picture(const struct ui *);
/* Open gaps in the order asked: indices into pic->gaps, n of them;
   returns a new array (free it). */
size_t		*ui_gap_order(const struct ui *, enum gap_order, size_t *n);
/* Callsign of the unit with id, else the id itself. */
const char	*ui_callsign(const struct ui *, const char *id);

/* Requests, for the views. */
int		 view_msg(struct view_req *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
int		 view_goto(struct view_req *, enum view_go);

/* view_status.c: the status line and its clock/age fields. */
void		 view_status_draw(struct ui *, WINDOW *);
void		 view_status_draw_clock(struct ui *, WINDOW *);
void		 view_foot_draw(struct ui *, WINDOW *);

/* view_requests.c: the cover prompt for a gap (0: the longest), its
   label in the footer, and the actions for the caller (ui_req_actions). */
int		 view_requests_cover(struct ui *, unsigned gap_id,
		    struct view_req *);
const char	*view_requests_prompt_label(const struct ui *);
size_t		 view_requests_actions(struct ui *, struct ui_reqact *,
		    size_t max);
/* view_map.c: the gap n or N went to last, or 0. */
unsigned	 view_map_gap_id(const struct ui *);

#endif
