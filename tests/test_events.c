/*
 * test_events.c: the event log ring.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "events.h"

static void
test_order_and_wrap(void **state)
{
	struct event_log	 log;
	const struct event	*e;
	int			 i;

	events_init(&log, 4);
	assert_null(events_get(&log, 0));
	for (i = 0; i < 6; i++)
		events_add(&log, 1000 + i, EVENT_GAP_OPEN, "event %d", i);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.total, 6);
	/* Newest first; the two oldest fell off. */
	e = events_get(&log, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "event 5");
	assert_true(e->time == 1005);
	assert_string_equal(events_get(&log, 3)->text, "event 2");
	assert_null(events_get(&log, 4));
	events_done(&log);
}

static void
test_defaults_and_fields(void **state)
{
	struct event_log	 log;
	struct event		*e;

	events_init(&log, 8);
	e = events_add(&log, 5, EVENT_UNIT_LOST, "lost %s", "TCA-42");
	assert_int_equal(e->type, EVENT_UNIT_LOST);
	assert_int_equal(e->side, SIDE_NONE);
	assert_true(isnan(e->km));
	assert_int_equal(e->gap_id, 0);
	assert_string_equal(e->unit_id, "");
	e->gap_id = 7;
	assert_int_equal(events_get(&log, 0)->gap_id, 7);
	events_done(&log);
}

static void
test_text_is_clean(void **state)
{
	struct event_log	 log;
	struct event		*e;

	events_init(&log, 2);
	e = events_add(&log, 0, EVENT_ACROSS, "x\033[31mred\033[0m\ty\n");
	assert_null(strchr(e->text, '\033'));
	assert_null(strchr(e->text, '\n'));
	assert_non_null(strstr(e->text, "red"));
	events_done(&log);
}

static void
test_tables(void **state)
{
	assert_string_equal(event_type_keys[EVENT_GAP_OPEN], "gap-open");
	assert_string_equal(event_type_texts[EVENT_LINK_DOWN], "link down");
	assert_string_equal(event_type_keys[EVENT_COUNT - 1], "ack");
	assert_string_equal(alert_kind_texts[ALERT_KIND_COUNT - 1],
	    "SECTOR LOW");
}

/*
 * Link, alert-raising, acknowledgement and across events last a shift
 * however many changes come after them; other events fall off first.
 */
static void
test_kept(void **state)
{
	struct event_log	 log;
	struct event		*e;
	const struct event	*o;
	int			 i;

	(void)state;
	events_init(&log, 10);
	events_add(&log, 0, EVENT_LINK_DOWN, "link down: x");
	events_add(&log, 1, EVENT_GAP_CHANGE, "gap changed: small");
	e = events_add(&log, 2, EVENT_GAP_OPEN, "gap opened: long");
	e->exposed = 1;
	events_add(&log, 3, EVENT_GAP_OPEN, "gap opened: short");
	for (i = 0; i < 500; i++)
		events_add(&log, 10 + i, EVENT_GAP_CHANGE, "gap changed %d",
		    i);
	assert_int_equal(log.n, 10);
	o = events_get(&log, 9);		/* the oldest */
	assert_int_equal(o->type, EVENT_LINK_DOWN);
	o = events_get(&log, 8);
	assert_int_equal(o->type, EVENT_GAP_OPEN);
	assert_true(o->exposed);
	/* The newest are the last changes, in order. */
	assert_string_equal(events_get(&log, 0)->text, "gap changed 499");
	assert_string_equal(events_get(&log, 7)->text, "gap changed 492");
	/* A shift later they go too. */
	events_add(&log, EVENTS_KEEP_S + 1, EVENT_GAP_CHANGE, "late");
	assert_int_not_equal(events_get(&log, 9)->type, EVENT_LINK_DOWN);
	assert_int_equal(events_get(&log, 9)->type, EVENT_GAP_OPEN);
	events_done(&log);
}

/* The alert queue: oldest first, acknowledged one at a time. */
static void
test_alert_queue(void **state)
{
	struct alert_queue	q;
	struct alert		a;

	(void)state;
	alerts_init(&q);
	assert_int_equal(alerts_ack(&q, &a), 0);
	alerts_raise(&q, 10, ALERT_EXPOSED, "first\x1b[2J");
	alerts_raise(&q, 20, ALERT_LINK, "second");
	assert_int_equal(q.n, 2);
	assert_int_equal(q.raised, 2);
	assert_null(strchr(q.v[0].text, 0x1b));
	assert_int_equal(alerts_ack(&q, &a), 1);
	assert_int_equal(a.kind, ALERT_EXPOSED);
	assert_true(a.time == 10);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.v[0].text, "second");
	assert_int_equal(alerts_ack(&q, NULL), 1);
	assert_int_equal(alerts_ack(&q, NULL), 0);
	assert_int_equal(q.acked, 2);
	alerts_done(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_wrap),
		cmocka_unit_test(test_defaults_and_fields),
		cmocka_unit_test(test_text_is_clean),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_alert_queue),
		cmocka_unit_test(test_kept),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
