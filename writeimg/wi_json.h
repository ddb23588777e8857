/* The little JSON writing writeimg needs: strings escaped per RFC 8259 7. */
#ifndef WI_JSON_H
#define WI_JSON_H

#include <stdio.h>

/* Write s as a JSON string (with quotes); NULL writes null. */
void wi_json_str(FILE *out, const char *s);

#endif
