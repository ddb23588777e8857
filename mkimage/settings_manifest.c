/* The second filler of the settings model: a manifest's settings part, as the manifest
 * reader hands it up (mk_mset rows, manifest.h), set through the settings table. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage/settings.h"
#include "mkimage/source/manifest.h"

/* <previous src>: a drive is named as on the command line (prev_source.c opens it). */
static int names_drive(const char *v)
{
	return !strncmp(v, "emu:", 4) || !strncmp(v, "iscsi://", 8) || !strncmp(v, "/dev/", 5);
}

dm_status mk_settings_from_manifest(mk_settings *s, const mk_manifest *m, dm_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->epoch = -1;
	s->volume_time = -1;
	s->session_start = s->last_session = -1;
	int boot_line = 0, prev_line = 0;
	for (size_t i = 0; i < m->nsets; i++) {
		const mk_mset *r = &m->sets[i];
		if (!strcmp(r->node, "boot") && !r->attr)
			boot_line = r->line;
		if (!strcmp(r->node, "previous") && !r->attr)
			prev_line = r->line;
		const mk_setting_def *d = mk_settings_find_node(r->node, r->attr);
		if (!d || (d->flags & MK_SD_RUN))
			continue;       /* version=, <boot> itself: the schema's business */
		const char *v = r->value;
		if (d->type == MK_ST_APPEND) {
			/* <partition number type src>: its attributes follow its own row; into the
			 * command line's N:TYPE:FILE, FILE resolved like a source. */
			const char *num = NULL, *type = NULL, *src = NULL;
			for (size_t j = i + 1; j < m->nsets && m->sets[j].elem == r->elem; j++) {
				const mk_mset *a = &m->sets[j];
				if (!a->attr)
					continue;
				if (!strcmp(a->attr, "number"))
					num = a->value;
				else if (!strcmp(a->attr, "type"))
					type = a->value;
				else if (!strcmp(a->attr, "src"))
					src = a->value;
			}
			char *file = NULL;
			dm_status st = mk_manifest_resolve_file(m, r->line, src ? src : "", "<partition src>", &file, ctx);
			if (st)
				return st;
			size_t k = s->nappend < HYB_APPEND_MAX ? s->nappend : HYB_APPEND_MAX - 1;
			free(s->owned_append[k]);
			s->owned_append[k] = NULL;
			size_t len = strlen(num ? num : "") + strlen(type ? type : "") + strlen(file) + 3;
			char *spec = malloc(len);
			if (!spec) {
				free(file);
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			}
			snprintf(spec, len, "%s:%s:%s", num ? num : "", type ? type : "", file);
			free(file);
			s->owned_append[k] = spec;
			v = spec;
			char why[300];
			if (mk_settings_set(s, d, v, why, sizeof(why)))
				return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: <partition> %s", m->path, r->line, why);
			continue;
		}
		if (d->type == MK_ST_FILE || (d->type == MK_ST_DISC && !(v && names_drive(v)))) {
			/* A file on disk: resolved like a source, against the manifest's directory. */
			char what[64];
			snprintf(what, sizeof(what), "<%s %s>", strrchr(r->node, '/') ? strrchr(r->node, '/') + 1
										  : r->node, r->attr);
			char **own = d->type == MK_ST_DISC ? &s->owned_previous
				     : d->off == offsetof(mk_settings, hybrid_grub2_mbr) ? &s->owned_grub2_mbr
				     : &s->owned_file;
			free(*own);
			dm_status st = mk_manifest_resolve_file(m, r->line, v ? v : "", what, own, ctx);
			if (st)
				return st;
			v = *own;
		}
		if (!v && d->type != MK_ST_HYBRID && d->type != MK_ST_FLAG)
			v = "";
		char why[300];
		if (mk_settings_set(s, d, v, why, sizeof(why)))
			return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: %s %s", m->path, r->line,
				       r->attr ? r->attr : r->node, why);
	}
	if (s->last_session >= 0 && s->session_start < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: <previous last-session> needs session-start (the "
			       "pair --session-start START,NEXT gives)", m->path, prev_line);
	if (boot_line && !s->nboot)
		return dm_fail(ctx, DM_ERR_INVALID, "%s:%d: <boot> needs <bios>, <efi>, <ppc> or <mac>", m->path,
			       boot_line);
	return DM_OK;
}
