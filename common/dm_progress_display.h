/* The progress display both programs use: a dm_progress_fn that draws a bar on a terminal
 * and writes plain lines (at most one per second and per item) when stderr is a pipe or
 * file. Only programs install it; library code just calls dm_report(). */
#ifndef DM_PROGRESS_DISPLAY_H
#define DM_PROGRESS_DISPLAY_H

#include <stdio.h>

#include "common/dm_error.h"

typedef struct dm_progress_display {
	FILE *out;
	int tty;               /* draw a bar with carriage returns */
	double start, last;    /* monotonic seconds */
	int last_permille;
	int line_open;         /* a bar is on screen without its newline */
} dm_progress_display;

void dm_progress_display_init(dm_progress_display *d, FILE *out);
/* The dm_progress_fn: user is a dm_progress_display. */
void dm_progress_display_fn(void *user, const dm_progress *p);
/* End the bar line (call before printing anything else, and at the end). */
void dm_progress_display_finish(dm_progress_display *d);

#endif
