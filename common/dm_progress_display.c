#include "common/dm_progress_display.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void dm_progress_display_init(dm_progress_display *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->tty = isatty(fileno(out));
	d->start = now();
	d->last = -1;
	d->last_permille = -1;
}

/* The tail of a long item name, so the line fits a terminal. */
static const char *tail(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n > max ? s + n - max : s;
}

void dm_progress_display_fn(void *user, const dm_progress *p)
{
	dm_progress_display *d = user;
	double t = now();
	int permille = p->total ? (int)(p->done * 1000 / p->total) : -1;
	int finished = p->total && p->done >= p->total;

	if (!finished && t - d->last < (d->tty ? 0.1 : 1.0) && permille == d->last_permille)
		return;
	if (!finished && !d->tty && t - d->last < 1.0)
		return;
	d->last = t;
	d->last_permille = permille;

	double elapsed = t - d->start;
	char eta[32] = "";
	if (p->total && p->done && !finished && elapsed > 0.5) {
		double left = elapsed * (double)(p->total - p->done) / (double)p->done;
		snprintf(eta, sizeof(eta), " %d:%02d left", (int)left / 60, (int)left % 60);
	}
	char extra[48] = "";
	if (p->lba >= 0)
		snprintf(extra, sizeof(extra), " LBA %lld", (long long)p->lba);
	if (p->buffer_percent >= 0)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " buf %d%%",
			 p->buffer_percent);
	const char *unit = p->unit ? p->unit : "";
	const char *item = p->item ? tail(p->item, 40) : "";

	if (d->tty) {
		char bar[31];
		int fill = permille < 0 ? 0 : permille * 30 / 1000;
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		if (!p->total) /* counting, no end known: no bar */
			fprintf(d->out, "\r\033[K%s %llu %s %s", p->action, (unsigned long long)p->done,
				unit, item);
		else
			fprintf(d->out, "\r\033[K%s [%s] %3d.%d%% %llu/%llu %s%s%s %s", p->action, bar,
				permille < 0 ? 0 : permille / 10, permille < 0 ? 0 : permille % 10,
				(unsigned long long)p->done, (unsigned long long)p->total, unit, extra, eta,
				item);
		d->line_open = 1;
		if (finished)
			dm_progress_display_finish(d);
	} else if (!p->total && !p->done) {
		/* a step that counts nothing: its name is the news */
		fprintf(d->out, "%s%s%s%s\n", p->action, extra, *item ? " " : "", item);
	} else if (!p->total) {
		fprintf(d->out, "%s: %llu %s%s%s%s\n", p->action, (unsigned long long)p->done, unit, extra,
			*item ? " " : "", item);
	} else {
		fprintf(d->out, "%s: %llu/%llu %s (%d%%)%s%s%s%s\n", p->action,
			(unsigned long long)p->done, (unsigned long long)p->total, unit,
			permille < 0 ? 0 : permille / 10, extra, eta, *item ? " " : "", item);
	}
	fflush(d->out);
}

void dm_progress_display_finish(dm_progress_display *d)
{
	if (d->line_open) {
		fputc('\n', d->out);
		d->line_open = 0;
		fflush(d->out);
	}
}
