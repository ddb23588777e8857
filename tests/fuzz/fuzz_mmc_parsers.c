/* libFuzzer target over every MMC response parser and the sense decoder: the first
 * byte picks the parser, the rest is the drive's answer. The parsers must never read
 * outside the answer, whatever its length fields claim. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/drive/mmc_cd.h"
#include "common/drive/mmc_parse.h"
#include "common/drive/scsi_sense.h"
#include "writeimg/cd_subq.h"
#include "writeimg/wi_cdread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t which = data[0];
	size_t n = size - 1;
	/* A copy of exactly n bytes, so any overread is outside an allocation. */
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return 0;
	memcpy(b, data + 1, n);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	/* 0xd0-0xdf: the rest of a CD's answers (issue 15): READ SUB-CHANNEL MCN and ISRC,
	 * CD-TEXT packs (READ TOC format 5) decoded into titles, a sector's raw P-W or
	 * formatted Q as a position. */
	if (which >= 0xd0 && which < 0xe0) {
		switch (which % 4) {
		case 0: {
			char code[14];
			mmc_parse_subchannel_code(b, n, which & 4 ? 3 : 2, code);
			break;
		}
		case 1: {
			static wi_cd_tracks tr;
			memset(&tr, 0, sizeof(tr));
			tr.n = n ? b[0] % 100 : 0;
			for (unsigned i = 0; i < tr.n; i++)
				tr.t[i].number = i + 1;
			wi_cd_text_decode(b, mmc_parse_cdtext(b, n), &tr);
			break;
		}
		case 2: {
			uint8_t q[CD_SUBQ_SIZE];
			unsigned tno, index;
			if (n >= CD_SUBCH_RAW_SIZE) {
				(void)cd_subq_from_pw(b, q);
				(void)wi_cd_q_position(q, &tno, &index);
			}
			break;
		}
		case 3: {
			unsigned tno, index;
			if (n >= 12)
				(void)wi_cd_q_position(b, &tno, &index);
			break;
		}
		}
		free(b);
		return 0;
	}
	/* 0xe0-0xef: the READ TOC format 0 parser of audio CDs (issue 15). */
	if (which >= 0xe0 && which < 0xf0) {
		mmc_toc o;
		mmc_parse_toc0(b, n, &o, &ctx);
		free(b);
		return 0;
	}
	/* 0xf0 and up: the parsers of blanking, formatting and dual layer (kept apart so the
	 * older corpus keeps choosing the parsers it was made for). */
	if (which >= 0xf0) {
		switch (which % 3) {
		case 0: { unsigned p; (void)mmc_parse_sense_progress(b, n, &p); break; }
		case 1: { mmc_layer_info o; mmc_parse_layer_info(b, n, &o, &ctx); break; }
		case 2: { uint32_t k; mmc_parse_nominal_performance(b, n, &k, &ctx); break; }
		}
		free(b);
		return 0;
	}
	switch (which % 12) {
	case 0: { mmc_inquiry_info o; mmc_parse_inquiry(b, n, &o, &ctx); break; }
	case 1: {
		static mmc_config o;
		if (mmc_parse_configuration(b, n, &o, &ctx) == DM_OK)
			(void)mmc_config_feature(&o, 0x002b);
		break;
	}
	case 2: { mmc_disc_info o; mmc_parse_disc_info(b, n, &o, &ctx); break; }
	case 3: { mmc_track_info o; mmc_parse_track_info(b, n, &o, &ctx); break; }
	case 4: { mmc_capacity o; mmc_parse_capacity(b, n, &o, &ctx); break; }
	case 5: { mmc_format_capacities o; mmc_parse_format_capacities(b, n, &o, &ctx); break; }
	case 6:
	case 7: {
		const uint8_t *page;
		size_t len;
		int wp;
		int code = which % 12 == 6 ? 0x2a : 0x05;
		if (mmc_parse_mode_page(b, n, code, &page, &len, &wp, &ctx) == DM_OK) {
			if (code == 0x2a) {
				mmc_caps c;
				mmc_parse_caps_page(page, len, &c, &ctx);
			} else {
				mmc_write_params w;
				if (mmc_parse_write_params_page(page, len, &w, &ctx) == DM_OK) {
					uint8_t copy[256];
					memcpy(copy, page, len < sizeof(copy) ? len : sizeof(copy));
					mmc_apply_write_params_page(copy, len < sizeof(copy) ? len : sizeof(copy), &w);
				}
			}
		}
		break;
	}
	case 8: { mmc_write_speeds o; mmc_parse_write_speeds(b, n, &o, &ctx); break; }
	case 9: { mmc_buffer_capacity o; mmc_parse_buffer_capacity(b, n, &o, &ctx); break; }
	case 10: { mmc_event_status o; mmc_parse_event_status(b, n, &o, &ctx); break; }
	case 11: {
		scsi_sense_info s;
		char msg[256];
		if (scsi_sense_decode(b, n, &s)) {
			(void)scsi_sense_classify(&s);
			scsi_sense_message(&s, msg, sizeof(msg));
		}
		break;
	}
	}
	free(b);
	return 0;
}
