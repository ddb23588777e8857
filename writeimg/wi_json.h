/* The little JSON writing writeimg needs: strings escaped per RFC 8259 7. */
#ifndef WI_JSON_H
#define WI_JSON_H

#include <stdio.h>

/* Write s as a JSON string (with quotes); NULL writes null. */
void wi_json_str(FILE *out, const char *s);
/* s in ISO 8859-1 (CD-TEXT) as a JSON string: bytes 80h-FFh as \u0080-\u00ff. */
void wi_json_latin1(FILE *out, const char *s);

#endif
