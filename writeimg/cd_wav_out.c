#include "writeimg/cd_wav_out.h"

#include <errno.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_msf.h"

#define CHUNK_SECTORS 16

struct cd_wav_out {
	char *path;
	char *tmp;
	SNDFILE *sf;
	short pcm[CHUNK_SECTORS * CD_AUDIO_FRAMES_PER_SECTOR * 2];
};

static void release(cd_wav_out *w)
{
	if (w->sf)
		sf_close(w->sf);
	free(w->path);
	free(w->tmp);
	free(w);
}

dm_status cd_wav_out_new(const char *path, cd_wav_out **out, dm_ctx *ctx)
{
	*out = NULL;
	cd_wav_out *w = calloc(1, sizeof(*w));
	if (w && asprintf(&w->tmp, "%s.XXXXXX", path) < 0)
		w->tmp = NULL;
	if (!w || !w->tmp || !(w->path = strdup(path))) {
		if (w)
			release(w);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory creating %s", path);
	}
	int fd = mkstemp(w->tmp);
	if (fd < 0) {
		int e = errno;
		release(w);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "cannot create %s", path);
	}
	/* mkstemp makes 0600; the finished file gets what the umask gives a new file. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		int e = errno;
		close(fd);
		unlink(w->tmp);
		release(w);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "cannot create %s", path);
	}
	SF_INFO info = { .samplerate = CD_AUDIO_RATE, .channels = 2,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	w->sf = sf_open_fd(fd, SFM_WRITE, &info, 1);
	if (!w->sf) {
		close(fd);
		unlink(w->tmp);
		dm_status st = dm_fail(ctx, DM_ERR_IO, "cannot write WAV %s: %s", path, sf_strerror(NULL));
		release(w);
		return st;
	}
	*out = w;
	return DM_OK;
}

dm_status cd_wav_out_write(cd_wav_out *w, const uint8_t *sectors, uint32_t n, dm_ctx *ctx)
{
	while (n) {
		uint32_t k = n < CHUNK_SECTORS ? n : CHUNK_SECTORS;
		size_t samples = (size_t)k * CD_AUDIO_FRAMES_PER_SECTOR * 2;
		for (size_t i = 0; i < samples; i++)
			w->pcm[i] = (short)dm_get_le16(sectors + i * 2);
		sf_count_t frames = (sf_count_t)k * CD_AUDIO_FRAMES_PER_SECTOR;
		if (sf_writef_short(w->sf, w->pcm, frames) != frames)
			return dm_fail(ctx, DM_ERR_IO, "writing %s: %s", w->path, sf_strerror(w->sf));
		sectors += (size_t)k * CD_SECTOR_RAW;
		n -= k;
	}
	return DM_OK;
}

dm_status cd_wav_out_finish(cd_wav_out *w, dm_ctx *ctx)
{
	int err = sf_close(w->sf);
	w->sf = NULL;
	dm_status st = DM_OK;
	if (err)
		st = dm_fail(ctx, DM_ERR_IO, "writing %s: %s", w->path, sf_error_number(err));
	else if (rename(w->tmp, w->path) != 0)
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot rename %s to %s", w->tmp, w->path);
	if (st)
		unlink(w->tmp);
	release(w);
	return st;
}

void cd_wav_out_abort(cd_wav_out *w)
{
	if (!w)
		return;
	if (w->sf)
		sf_close(w->sf);
	w->sf = NULL;
	unlink(w->tmp);
	release(w);
}
