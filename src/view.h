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

#include "ui.h"
#include "unit.h"

/* Views, in the order of the keys 1-5. */
#define UI_VIEWS(X)				\
	X(MAP,		"Map",		map)	\
	X(SECTORS,	"Sectors",	sectors) \
	X(UNITS,	"Units",	units)	\
	X(GAPS,		"Gaps",		gaps)	\
	X(HELP,		"Help",		help)

enum view_id {
#define X(id, title, fn) VIEW_##id,
	UI_VIEWS(X)
#undef X
	VIEW_COUNT
};

/* Key scopes: where a key means something. */
#define KS_ALL		0x1f
#define KS_MAP		(1 << VIEW_MAP)
#define KS_SECTORS	(1 << VIEW_SECTORS)
#define KS_UNITS	(1 << VIEW_UNITS)
#define KS_GAPS		(1 << VIEW_GAPS)
#define KS_HELP		(1 << VIEW_HELP)
#define KS_LISTS	(KS_UNITS | KS_GAPS | KS_HELP | KS_SECTORS)

#define CTRL_KEY(c)	((c) & 0x1f)
#define KEY_ESC_CODE	27

/*
 * Every key, defined once: id, scope, up to two key codes, the label shown
 * in help and the help text.  Dispatch looks the code up here (the current
 * view's scope first) and hands the id to the view; the help view prints
 * this table.
 */
#define UI_KEYS(X)							\
	X(QUIT,		KS_ALL,	'q',	0,	"q",	"quit and restore the terminal") \
	X(HELP,		KS_ALL,	'?',	'5',	"? 5",	"this help")		\
	X(V_MAP,	KS_ALL,	'1',	0,	"1",	"map view")		\
	X(V_SECTORS,	KS_ALL,	'2',	0,	"2",	"sector strips")	\
	X(V_UNITS,	KS_ALL,	'3',	0,	"3",	"unit board")		\
	X(V_GAPS,	KS_ALL,	'4',	0,	"4",	"gaps, overlaps, events") \
	X(V_NEXT,	KS_ALL,	'\t',	0,	"Tab",	"next view")		\
	X(V_PREV,	KS_ALL,	KEY_BTAB, 0,	"S-Tab", "previous view")	\
	X(REDRAW,	KS_ALL,	CTRL_KEY('l'), 0, "^L",	"clear and redraw the screen") \
	X(ACK,		KS_ALL,	'a',	0,	"a",	"acknowledge the oldest alert") \
	X(R_ENTER,	KS_ALL,	'R',	0,	"R",				\
	    "replay this session's journal; again: back to live")	\
	X(R_PAUSE,	KS_ALL,	'z',	0,	"z",	"replay: pause or play") \
	X(R_FWD,	KS_ALL,	'.',	0,	".",	"replay: next recorded change") \
	X(R_BACK,	KS_ALL,	',',	0,	",",	"replay: previous recorded change") \
	X(R_FASTER,	KS_ALL,	'>',	0,	">",	"replay: faster (up to 600x)") \
	X(R_SLOWER,	KS_ALL,	'<',	0,	"<",	"replay: slower (down to 1x)") \
	X(R_NEXT_ALERT,	KS_ALL,	'}',	0,	"}",	"replay: next alert") \
	X(R_PREV_ALERT,	KS_ALL,	'{',	0,	"{",	"replay: previous alert") \
	X(R_GOTO,	KS_ALL,	'T',	0,	"T",				\
	    "replay: go to a time (HH:MM[:SS], Enter)") \
	X(SECTOR,	KS_MAP | KS_SECTORS, 's', 0, "s",			\
	    "go to a sector: type its code, Enter")			\
	X(ZOOM_IN,	KS_MAP,	'+',	'=',	"+ =",	"zoom in")		\
	X(ZOOM_OUT,	KS_MAP,	'-',	'_',	"- _",	"zoom out")		\
	X(PAN_LEFT,	KS_MAP,	KEY_LEFT, 'h',	"Left h", "pan west")		\
	X(PAN_RIGHT,	KS_MAP,	KEY_RIGHT, 'l',	"Right l", "pan east")	\
	X(PAN_UP,	KS_MAP,	KEY_UP,	'k',	"Up k",	"pan north")		\
	X(PAN_DOWN,	KS_MAP,	KEY_DOWN, 'j',	"Down j", "pan south")		\
	X(FIT,		KS_MAP,	'0',	0,	"0",	"fit the whole border")	\
	X(NEXT_GAP,	KS_MAP | KS_GAPS, 'n', 0, "n",	"next gap (centre the map on it)") \
	X(PREV_GAP,	KS_MAP | KS_GAPS, 'N', 0, "N",	"previous gap")	\
	X(CENTRE,	KS_MAP | KS_UNITS, 'c', 0, "c",				\
	    "centre the map on the selected unit")			\
	X(UP,		KS_LISTS, KEY_UP, 'k',	"Up k",	"previous line")	\
	X(DOWN,		KS_LISTS, KEY_DOWN, 'j', "Down j", "next line")		\
	X(PGUP,		KS_LISTS, KEY_PPAGE, 0,	"PgUp",	"page up")		\
	X(PGDN,		KS_LISTS, KEY_NPAGE, ' ', "PgDn Space", "page down")	\
	X(HOME,		KS_LISTS, KEY_HOME, 'g', "Home g", "first line")	\
	X(END,		KS_LISTS, KEY_END, 'G',	"End G", "last line")		\
	X(SORT,		KS_UNITS, 'o',	0,	"o",	"cycle the sort column")	\
	X(SORT_REV,	KS_UNITS, 'O',	0,	"O",	"reverse the sort")	\
	X(F_SIDE,	KS_UNITS, 'f',	0,	"f",	"filter by side (all, then each)") \
	X(F_STATE,	KS_UNITS, 't',	0,	"t",	"filter by state (fresh...inactive)") \
	X(F_SECTOR,	KS_UNITS, 'e',	0,	"e",	"filter by sector (cycles)") \
	X(F_CLEAR,	KS_UNITS, 'r',	0,	"r",	"clear filters")	\
	X(SEARCH,	KS_UNITS, '/',	0,	"/",				\
	    "search callsign or id (Enter keeps, Esc cancels)")		\
	X(DETAILS,	KS_UNITS, '\n',	KEY_ENTER, "Enter",			\
	    "details of the selected unit (Esc closes)")		\
	X(CLOSE,	KS_UNITS, KEY_ESC_CODE, 0, "Esc", "close details")

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

/* What a key handler asks for (a bit mask). */
#define ACT_VIEW	0x01	/* redraw the current view */
#define ACT_STATUS	0x02	/* redraw the status line */
#define ACT_FOOT	0x04	/* redraw the footer */
#define ACT_ALL		0x08	/* redraw every window */
#define ACT_CLEAR	0x10	/* clear() then redraw everything (^L) */
#define ACT_QUIT	0x20
#define ACT_SWITCH	0x40	/* ui->next_view holds the view to show */
#define ACT_PROMPT	0x80	/* ui->prompt was opened */
#define ACT_ACK		0x100	/* ui->acks was raised */
#define ACT_REPLAY	0x200	/* ui->replay_req asks the driver */

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
	PROMPT_TIME		/* replay: a time to go to */
};

struct view_ops {
	const char	*title;
	void		(*init)(struct ui *);
	void		(*done)(struct ui *);
	/* The picture or map changed: recompute what the view keeps. */
	void		(*changed)(struct ui *);
	void		(*draw)(struct ui *, WINDOW *);
	int		(*key)(struct ui *, enum ui_key_id);
};

#define UI_PROMPT_MAX	48
#define UI_MSG_MAX	256

struct ui {
	struct ui_options	 opts;
	SCREEN			*screen;
	FILE			*out;
	int			 fd;		/* terminal input */
	int			 utf8;		/* UTF-8 glyphs and text */
	int			 text_utf8;	/* the locale takes UTF-8 */
	int			 colors;	/* 0, 8 or 256 */
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
	enum view_id		 next_view;
	void			*vstate[VIEW_COUNT];

	enum ui_prompt		 prompt;
	char			 prompt_buf[UI_PROMPT_MAX];
	size_t			 prompt_len;
	char			 msg[UI_MSG_MAX];	/* footer, until a key */

	char			 sel_id[UNIT_ID_MAX + 1];	/* selected unit */
	int			 centre_req;	/* map: centre on sel_id */

	enum ui_replay		 replay_req;	/* for the driver */
	char			 replay_arg[UI_PROMPT_MAX];

	const struct alert_queue *alerts;	/* the engine's, borrowed */
	unsigned long		 rung;		/* alerts the bell rang for */
	int			 acks;		/* asked for, not yet passed */
};

extern const struct view_ops view_map_ops, view_sectors_ops,
    view_units_ops, view_gaps_ops, view_help_ops;

/* ui.c: drawing helpers shared by the views. */
attr_t		 ui_attr(const struct ui *, enum ui_role);
attr_t		 ui_side_attr(const struct ui *, int side);
const char	*ui_glyph(const struct ui *, enum ui_glyph);
/*
 * All text reaches the screen through ui_put(): at most maxcols columns
 * of UTF-8 s at (y, x), counted in display columns (wcwidth); in ASCII
 * mode transliterated to ASCII (U+00F3 o acute -> 'o', U+00A9 -> "(c)",
 * U+2013 -> '-', anything unknown -> '?').  Returns the columns written.
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
/* "35s", "12m", "3h05", "2d" in at most 5 columns; "-" if unknown. */
void		 ui_age(double s, char *buf, size_t len);
/* Code of sector i of side, or "-". */
const char	*ui_sector_code(const struct ui *, int side, int i);
const char	*ui_side_code(const struct ui *, int side);
/* Find a unit by id in the picture's table, or NULL. */
const struct pic_unit *ui_unit(const struct ui *, const char *id);
/* Ask the map to centre on a chainage interval (km) and show the map. */
void		 ui_map_show_km(struct ui *, double a, double b);
void		 ui_message(struct ui *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* view_status.c: the status line and its clock/age fields. */
void		 view_status_draw(struct ui *, WINDOW *);
void		 view_status_draw_clock(struct ui *, WINDOW *);
void		 view_foot_draw(struct ui *, WINDOW *);

/* view_map.c: centring requests from other views. */
void		 view_map_centre_km(struct ui *, double a, double b);
void		 view_map_centre_unit(struct ui *, const struct pic_unit *);
int		 view_map_goto_sector(struct ui *, const char *code);
int		 view_map_next_gap(struct ui *, int dir);
/* view_units.c: incremental search. */
void		 view_units_search(struct ui *, const char *text, int final);

#endif
