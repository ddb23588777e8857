/* libFuzzer target for the manifest loader: any bytes go through the XML parser, the
 * RELAX NG validation and the model checks (sources are not looked up on disk: no base
 * directory). It must never crash, leak or read outside its input, and must refuse with
 * messages, never succeed with a half-built model. The schema: $DISCMASTER_SCHEMA. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mkimage/source/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_diags diags = {0};
	mk_manifest *m = NULL;
	dm_status st = mk_manifest_parse(&m, (const char *)data, size, "fuzz.xml", NULL,
					 mk_manifest_schema_path(), &diags, &ctx);
	if (st == DM_OK && (!m || !m->path))
		abort();
	if (st != DM_OK && m)
		abort();
	mk_manifest_free(m);
	mk_diags_free(&diags);
	return 0;
}
