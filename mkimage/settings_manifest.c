/* The second filler of the settings model: a manifest's settings part, as the manifest
 * reader hands it up (mk_mset rows, manifest.h), set through the settings table. */
#include <stdlib.h>
#include <string.h>

#include "mkimage/settings.h"
#include "mkimage/source/manifest.h"

dm_status mk_settings_from_manifest(mk_settings *s, const mk_manifest *m, dm_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->epoch = -1;
	s->volume_time = -1;
	int boot_line = 0;
	for (size_t i = 0; i < m->nsets; i++) {
		const mk_mset *r = &m->sets[i];
		if (!strcmp(r->node, "boot") && !r->attr)
			boot_line = r->line;
		const mk_setting_def *d = mk_settings_find_node(r->node, r->attr);
		if (!d || (d->flags & MK_SD_RUN))
			continue;       /* version=, <boot> itself: the schema's business */
		const char *v = r->value;
		if (d->type == MK_ST_FILE) {
			/* A file on disk: resolved like a source, against the manifest's directory. */
			char what[64];
			snprintf(what, sizeof(what), "<%s %s>", strrchr(r->node, '/') ? strrchr(r->node, '/') + 1
										  : r->node, r->attr);
			free(s->owned_file);
			dm_status st = mk_manifest_resolve_file(m, r->line, v ? v : "", what, &s->owned_file, ctx);
			if (st)
				return st;
			v = s->owned_file;
		}
		if (!v && d->type != MK_ST_HYBRID && d->type != MK_ST_FLAG)
			v = "";
		char why[300];
		if (mk_settings_set(s, d, v, why, sizeof(why)))
			return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: %s %s", m->path, r->line,
				       r->attr ? r->attr : r->node, why);
	}
	if (boot_line && !s->nboot)
		return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: <boot> needs <bios>, <efi>, <ppc> or <mac>", m->path,
			       boot_line);
	return DM_OK;
}
