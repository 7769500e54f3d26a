/*
 * cvy_internal.h: what the codec files share. Not visible to Swift.
 */
#ifndef CVY_INTERNAL_H
#define CVY_INTERNAL_H

#include "cvy_codecs.h"
#include <stdio.h>

/* The operations one codec provides once its header is read. */
typedef struct cvy_codec_ops {
    /* Decode `rows` rows into dst (tightly packed). Called only while rows remain. */
    cvy_status (*read_rows)(cvy_decoder *dec, uint8_t *dst, uint32_t rows);
    /* Called once after the last row: verify the file's tail. May be NULL. */
    cvy_status (*finish)(cvy_decoder *dec);
    /* Release the codec state. Called once from cvy_decoder_free. */
    void (*close)(cvy_decoder *dec);
} cvy_codec_ops;

struct cvy_decoder {
    cvy_header header;
    cvy_limits limits;
    const cvy_codec_ops *ops;
    void *state;              /* the codec's own state */
    cvy_status failure;       /* sticky: once set, every call returns it */
    int opened;
    uint32_t rows_read;
    uint32_t warnings;
    uint32_t threads;         /* decoding threads for tiled TIFF; 0 = one per online CPU */
    uint8_t *scratch;         /* a few delivered rows, for cvy_decoder_read_luminance */
    size_t scratch_size;
    char message[512];
    char first_warning[256];
};

/* Record a failure (first one wins) and return its status. printf-style. */
cvy_status cvy_fail(cvy_decoder *dec, cvy_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Count a tolerated warning and keep the text of the first. */
void cvy_note_warning(cvy_decoder *dec, const char *text);

/* Bytes in one delivered row; 0 on overflow. */
size_t cvy_row_bytes(const cvy_header *h);

/* Checks against the limits before any large allocation: 0 when fine, else a failure
   has been recorded. */
int cvy_check_dimensions(cvy_decoder *dec);
int cvy_check_buffer(cvy_decoder *dec, uint64_t bytes, const char *what);

/* Each codec's opener. `file` is positioned at the start; the codec owns it from now on
   (including closing it, on failure too). The TIFF opener takes the path, as libtiff
   opens files itself. */
cvy_status cvy_png_open(cvy_decoder *dec, FILE *file);
cvy_status cvy_jpeg_open(cvy_decoder *dec, FILE *file);
cvy_status cvy_tiff_open(cvy_decoder *dec, const char *path);
/* The TIFF opener for an image in memory; the bytes stay the caller's. */
cvy_status cvy_tiff_open_memory(cvy_decoder *dec, const uint8_t *data, size_t size);

/* TIFF tag access behind the public cvy_tiff_tag_* functions. */
int cvy_tiff_get_doubles(cvy_decoder *dec, uint32_t tag, const double **values, uint32_t *count);
int cvy_tiff_get_shorts(cvy_decoder *dec, uint32_t tag, const uint16_t **values, uint32_t *count);
int cvy_tiff_get_ascii(cvy_decoder *dec, uint32_t tag, const char **value);

#endif /* CVY_INTERNAL_H */
