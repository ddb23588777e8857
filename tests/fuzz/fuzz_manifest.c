/* libFuzzer target for the manifest loader: any bytes go through the XML parser, the
 * RELAX NG validation and the model checks (sources are not looked up on disk: no base
 * directory). It must never crash, leak or read outside its input, and must refuse with
 * messages, never succeed with a half-built model. The schema: $DISCMASTER_SCHEMA.
 *
 * Built with -DFUZZ_CACHE_SCHEMA and -Wl,--wrap=xmlRelaxNGParse,--wrap=xmlRelaxNGFree (the
 * libFuzzer build, fuzz_manifest.sh), the schema is compiled once per process instead of
 * once per input: it is our own file, not input, and compiling it (3.7 ms under ASan) was
 * most of the time of a well-formed input. Everything the input reaches runs as in
 * mkimage. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mkimage/source/manifest.h"

#ifdef FUZZ_CACHE_SCHEMA
#include <libxml/relaxng.h>

xmlRelaxNGPtr __real_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr pc);
void __real_xmlRelaxNGFree(xmlRelaxNGPtr schema);
xmlRelaxNGPtr __wrap_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr pc);
void __wrap_xmlRelaxNGFree(xmlRelaxNGPtr schema);

static xmlRelaxNGPtr cached_schema;

xmlRelaxNGPtr __wrap_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr pc)
{
	if (!cached_schema)
		cached_schema = __real_xmlRelaxNGParse(pc);
	return cached_schema;
}

void __wrap_xmlRelaxNGFree(xmlRelaxNGPtr schema)
{
	if (schema != cached_schema)
		__real_xmlRelaxNGFree(schema);
}
#endif

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
