#include "writeimg/wi_info.h"

#include <inttypes.h>

#include "writeimg/wi_burn.h"
#include "writeimg/wi_json.h"
#include "writeimg/wi_modes.h"

static const char *session_state_name(int s)
{
	static const char *const names[] = { "empty", "incomplete", "damaged", "complete" };
	return s >= 0 && s <= 3 ? names[s] : "unknown";
}

/* Write speeds in kB/s: GET PERFORMANCE first, page 2Ah descriptors second. */
static size_t speeds(const media_drive *dr, uint32_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < dr->speeds.n && n < max; i++)
		if (dr->speeds.desc[i].write_kbs)
			out[n++] = dr->speeds.desc[i].write_kbs;
	for (size_t i = 0; !n && dr->have_caps && i < dr->caps.n_speeds && i < max; i++)
		out[i] = dr->caps.speeds_kbs[i], n = i + 1;
	return n;
}

/* The write mode a write of one session would use now (wi_modes.c), NULL: none. A pure
 * decision: its refusal message is not wanted here. */
static const wi_mode_plan *default_mode(const media_disc *d, wi_mode_plan *p)
{
	dm_ctx unused;
	dm_ctx_init(&unused);
	return wi_mode_choose(d->model, d->disc.disc_status, 0, d->cd_sao, WI_WM_AUTO, p,
			      &unused) == DM_OK ? p : NULL;
}

static void text(FILE *out, const char *drive, const media_drive *dr, const media_disc *d)
{
	char nb[32], s1[32];
	fprintf(out, "Drive:            %s\n", drive);
	fprintf(out, "  Vendor:         %s\n", dr->inquiry.vendor);
	fprintf(out, "  Product:        %s\n", dr->inquiry.product);
	fprintf(out, "  Revision:       %s\n", dr->inquiry.revision);
	fprintf(out, "  Profiles:       ");
	for (size_t i = 0; i < dr->config.n_profiles; i++)
		fprintf(out, "%s%s%s", i ? ", " : "",
			media_profile_name(dr->config.profiles[i].code, nb, sizeof(nb)),
			dr->config.profiles[i].current ? " (current)" : "");
	fprintf(out, "%s\n", dr->config.n_profiles ? "" : "none reported");
	fprintf(out, "  Current:        %s\n",
		media_profile_name(dr->config.current_profile, nb, sizeof(nb)));
	uint32_t sp[MMC_MAX_SPEEDS];
	size_t n = speeds(dr, sp, MMC_MAX_SPEEDS);
	const media_profile *m = media_profile_find(dr->config.current_profile);
	fprintf(out, "  Write speeds:   ");
	for (size_t i = 0; i < n; i++) {
		if (m && m->kbs_1x)
			fprintf(out, "%s%.1fx (%" PRIu32 " kB/s)", i ? ", " : "",
				(double)sp[i] / m->kbs_1x, sp[i]);
		else
			fprintf(out, "%s%" PRIu32 " kB/s", i ? ", " : "", sp[i]);
	}
	fprintf(out, "%s\n", n ? "" : "not reported");
	if (dr->have_buffer)
		fprintf(out, "  Buffer:         %" PRIu32 " KiB\n", dr->buffer.length / 1024);
	else if (dr->have_caps && dr->caps.buffer_kb)
		fprintf(out, "  Buffer:         %u KiB\n", dr->caps.buffer_kb);
	else
		fprintf(out, "  Buffer:         not reported\n");
	if (!d->present) {
		fprintf(out, "Media:            none (no disc in the drive)\n");
		return;
	}
	fprintf(out, "Media:            %s\n", media_profile_name(d->profile, nb, sizeof(nb)));
	fprintf(out, "  Status:         %s\n", media_disc_status_name(d->disc.disc_status));
	fprintf(out, "  Erasable:       %s\n", d->disc.erasable ? "yes" : "no");
	fprintf(out, "  Write-protected: %s\n", d->write_protected ? "yes" : "no");
	fprintf(out, "  Writable here:  %s\n", d->writable_by_drive ? "yes" : "no");
	fprintf(out, "  Sessions:       %u (last session %s)\n", d->disc.sessions,
		session_state_name(d->disc.last_session_state));
	fprintf(out, "  Total sectors:  %" PRIu32 " (%s)\n", d->total_blocks,
		wi_size_str(d->total_blocks, s1, sizeof(s1)));
	fprintf(out, "  Free sectors:   %" PRIu32 " (%s)\n", d->free_blocks,
		wi_size_str(d->free_blocks, s1, sizeof(s1)));
	fprintf(out, "  Recorded:       %" PRIu32 " sectors\n", d->recorded_blocks);
	if (d->nwa_valid)
		fprintf(out, "  Next writable:  LBA %" PRIu32 "\n", d->nwa);
	else
		fprintf(out, "  Next writable:  none\n");
	fprintf(out, "  Last session:   %u\n", d->disc.sessions);
	if (d->model && d->model->recording == MEDIA_RANDOM)
		fprintf(out, "  Formatted:      %s\n", d->formatted ? "yes" : "no");
	wi_mode_plan p;
	fprintf(out, "  Write mode:     %s\n", default_mode(d, &p) ? p.name : "none");
	if (d->have_msinfo)
		fprintf(out, "  Multisession:   %" PRIu32 ",%" PRIu32 " (last session start, next "
			"session address)\n", d->ms_start, d->ms_next);
}

static void json(FILE *out, const char *drive, const media_drive *dr, const media_disc *d,
		 const wi_cd_tracks *tracks)
{
	char nb[32];
	fputs("{\"drive\":{\"path\":", out);
	wi_json_str(out, drive);
	fputs(",\"vendor\":", out);
	wi_json_str(out, dr->inquiry.vendor);
	fputs(",\"product\":", out);
	wi_json_str(out, dr->inquiry.product);
	fputs(",\"revision\":", out);
	wi_json_str(out, dr->inquiry.revision);
	fputs(",\"profiles\":[", out);
	for (size_t i = 0; i < dr->config.n_profiles; i++) {
		fprintf(out, "%s{\"code\":%u,\"name\":", i ? "," : "", dr->config.profiles[i].code);
		wi_json_str(out, media_profile_name(dr->config.profiles[i].code, nb, sizeof(nb)));
		fprintf(out, ",\"current\":%s}", dr->config.profiles[i].current ? "true" : "false");
	}
	fputs("],\"current_profile\":", out);
	wi_json_str(out, media_profile_name(dr->config.current_profile, nb, sizeof(nb)));
	fputs(",\"features\":[", out);
	for (size_t i = 0; i < dr->config.n_features; i++) {
		fprintf(out, "%s{\"code\":%u,\"name\":", i ? "," : "", dr->config.features[i].code);
		wi_json_str(out, media_feature_name(dr->config.features[i].code));
		fprintf(out, ",\"current\":%s}", dr->config.features[i].current ? "true" : "false");
	}
	fputs("],\"write_speeds_kbs\":[", out);
	uint32_t sp[MMC_MAX_SPEEDS];
	size_t n = speeds(dr, sp, MMC_MAX_SPEEDS);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%" PRIu32, i ? "," : "", sp[i]);
	fputs("],\"buffer_bytes\":", out);
	if (dr->have_buffer)
		fprintf(out, "%" PRIu32, dr->buffer.length);
	else if (dr->have_caps && dr->caps.buffer_kb)
		fprintf(out, "%u", dr->caps.buffer_kb * 1024u);
	else
		fputs("null", out);
	fputs("},\"media\":", out);
	if (!d->present) {
		fputs("{\"present\":false}}\n", out);
		return;
	}
	fputs("{\"present\":true,\"type\":", out);
	wi_json_str(out, media_profile_name(d->profile, nb, sizeof(nb)));
	fprintf(out, ",\"profile\":%u,\"status\":\"%s\",\"erasable\":%s,\"write_protected\":%s,"
		"\"writable\":%s,\"sessions\":%u,\"last_session_state\":\"%s\","
		"\"total_sectors\":%" PRIu32 ",\"free_sectors\":%" PRIu32
		",\"recorded_sectors\":%" PRIu32 ",\"next_writable_address\":",
		d->profile, media_disc_status_name(d->disc.disc_status),
		d->disc.erasable ? "true" : "false", d->write_protected ? "true" : "false",
		d->writable_by_drive ? "true" : "false", d->disc.sessions,
		session_state_name(d->disc.last_session_state), d->total_blocks, d->free_blocks,
		d->recorded_blocks);
	if (d->nwa_valid)
		fprintf(out, "%" PRIu32, d->nwa);
	else
		fputs("null", out);
	fprintf(out, ",\"last_session\":%u,\"formatted\":%s,\"write_mode\":", d->disc.sessions,
		d->formatted ? "true" : "false");
	wi_mode_plan p;
	if (default_mode(d, &p))
		wi_json_str(out, wi_mode_word(p.mode));
	else
		fputs("null", out);
	if (d->have_msinfo)
		fprintf(out, ",\"last_session_start\":%" PRIu32 ",\"next_session_address\":%" PRIu32,
			d->ms_start, d->ms_next);
	else
		fputs(",\"last_session_start\":null,\"next_session_address\":null", out);
	if (tracks) {
		fputs(",\"tracks\":", out);
		wi_cd_tracks_print(out, tracks, 1);
	}
	fputs("}}\n", out);
}

void wi_info_print(FILE *out, const char *drive, const media_drive *dr, const media_disc *disc,
		   const wi_cd_tracks *tracks, int as_json)
{
	if (as_json)
		json(out, drive, dr, disc, tracks);
	else {
		text(out, drive, dr, disc);
		if (tracks && disc->present)
			wi_cd_tracks_print(out, tracks, 0);
	}
}
