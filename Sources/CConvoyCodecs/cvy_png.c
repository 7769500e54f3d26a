/*
 * cvy_png.c: PNG decoding through libpng.
 *
 * Delivered pixels: palette expanded to RGB (RGBA with tRNS), gray below 8 bits scaled to
 * 8 bits, tRNS turned into an alpha band, 16-bit samples kept as host-endian 16-bit.
 * No gamma, sBIT or colour-management transform is applied: samples are the file's values.
 * Interlaced (Adam7) images cannot be delivered row by row, so they are decoded whole on
 * the first read, within the buffer limit.
 */
#include "cvy_internal.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define CVY_PNG_CHUNK_MAX (16u << 20) /* largest ancillary chunk (iCCP, zTXt ...) kept */

typedef struct png_state {
    png_structp png;
    png_infop info;
    FILE *file;
    cvy_decoder *dec;
    int truncated;
    uint64_t alloc_max;   /* the largest single allocation libpng may make */
    uint8_t *image;       /* interlaced images only: the whole decoded image */
    png_bytep *row_ptrs;  /* interlaced images only */
} png_state;

static void on_png_error(png_structp png, png_const_charp msg) {
    png_state *st = png_get_error_ptr(png);
    cvy_status status = st->truncated                                        ? CVY_E_TRUNCATED
                        : (strstr(msg, "limit") || strstr(msg, "too large")) ? CVY_E_LIMIT
                                                                             : CVY_E_CORRUPT;
    cvy_fail(st->dec, status, "PNG: %s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg) {
    png_state *st = png_get_error_ptr(png);
    char text[256];
    snprintf(text, sizeof text, "PNG: %s", msg);
    cvy_note_warning(st->dec, text);
}

/* libpng's allocator. libpng 1.6.39 allocates what some chunk headers declare (sCAL, for one)
   before reading the chunk, whatever png_set_chunk_malloc_max says: a 286-byte file declaring a
   1.8 GB sCAL chunk made it allocate and touch 1.8 GB (found by FuzzPNG). Every allocation is
   checked here instead: rows and chunks convoy accepts fit in alloc_max; a larger request is
   refused as the documented chunk limit, and libpng then fails or skips the chunk. */
static png_voidp on_png_malloc(png_structp png, png_alloc_size_t size) {
    png_state *st = png_get_mem_ptr(png);
    if (st && size > st->alloc_max) {
        cvy_fail(st->dec, CVY_E_LIMIT, "PNG: a chunk or buffer of %llu bytes exceeds the limit of %llu bytes",
                 (unsigned long long)size, (unsigned long long)st->alloc_max);
        return NULL;
    }
    return malloc(size);
}

static void on_png_free(png_structp png, png_voidp pointer) {
    (void)png;
    free(pointer);
}

static void on_png_read(png_structp png, png_bytep data, size_t length) {
    png_state *st = png_get_io_ptr(png);
    if (fread(data, 1, length, st->file) != length) {
        if (ferror(st->file)) png_error(png, "read error");
        st->truncated = 1;
        png_error(png, "unexpected end of file (truncated)");
    }
}

static cvy_status pngdec_read_rows(cvy_decoder *dec, uint8_t *dst, uint32_t rows) {
    png_state *st = dec->state;
    size_t row_bytes = cvy_row_bytes(&dec->header);
    if (dec->header.interlaced) {
        if (!st->image) {
            uint64_t total = (uint64_t)row_bytes * dec->header.height;
            if (!cvy_check_buffer(dec, total, "an interlaced PNG decoded whole")) return dec->failure;
            st->image = malloc((size_t)total);
            st->row_ptrs = malloc(sizeof(png_bytep) * dec->header.height);
            if (!st->image || !st->row_ptrs) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
            for (uint32_t y = 0; y < dec->header.height; y++) st->row_ptrs[y] = st->image + y * row_bytes;
            if (setjmp(png_jmpbuf(st->png))) return dec->failure;
            png_read_image(st->png, st->row_ptrs);
        }
        memcpy(dst, st->image + (size_t)dec->rows_read * row_bytes, (size_t)rows * row_bytes);
        return CVY_OK;
    }
    if (setjmp(png_jmpbuf(st->png))) return dec->failure;
    for (uint32_t y = 0; y < rows; y++) png_read_row(st->png, dst + (size_t)y * row_bytes, NULL);
    return CVY_OK;
}

static cvy_status pngdec_finish(cvy_decoder *dec) {
    png_state *st = dec->state;
    if (setjmp(png_jmpbuf(st->png))) return dec->failure;
    png_read_end(st->png, NULL); /* checks the remaining chunks' CRCs and the zlib stream's end */
    return CVY_OK;
}

static void pngdec_close(cvy_decoder *dec) {
    png_state *st = dec->state;
    if (!st) return;
    if (st->png) png_destroy_read_struct(&st->png, st->info ? &st->info : NULL, NULL);
    if (st->file) fclose(st->file);
    free(st->image);
    free(st->row_ptrs);
    free(st);
    dec->state = NULL;
}

static const cvy_codec_ops png_ops = {pngdec_read_rows, pngdec_finish, pngdec_close};

static cvy_color pngdec_color(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return CVY_COLOR_GRAY;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return CVY_COLOR_GRAY_ALPHA;
    case PNG_COLOR_TYPE_PALETTE: return CVY_COLOR_PALETTE;
    case PNG_COLOR_TYPE_RGB_ALPHA: return CVY_COLOR_RGBA;
    default: return CVY_COLOR_RGB;
    }
}

cvy_status cvy_png_open(cvy_decoder *dec, FILE *file) {
    png_state *st = calloc(1, sizeof *st);
    if (!st) {
        fclose(file);
        return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    }
    st->dec = dec;
    st->file = file;
    dec->state = st;
    dec->ops = &png_ops; /* from here on pngdec_close releases everything */

    /* chunks up to CVY_PNG_CHUNK_MAX; rows of the widest image accepted (8 bytes a pixel) */
    uint64_t row_max = (uint64_t)dec->limits.max_dimension * 8 + 4096;
    st->alloc_max = row_max > CVY_PNG_CHUNK_MAX ? row_max : CVY_PNG_CHUNK_MAX;
    st->png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, st, on_png_error, on_png_warning, st, on_png_malloc,
                                       on_png_free);
    if (!st->png) return cvy_fail(dec, CVY_E_NOMEM, "PNG: cannot create the decoder");
    st->info = png_create_info_struct(st->png);
    if (!st->info) return cvy_fail(dec, CVY_E_NOMEM, "PNG: cannot create the decoder");
    if (setjmp(png_jmpbuf(st->png))) return dec->failure;

    png_set_read_fn(st->png, st, on_png_read);
    png_set_user_limits(st->png, dec->limits.max_dimension, dec->limits.max_dimension);
    png_set_chunk_cache_max(st->png, 1000);
    uint64_t chunk_max = dec->limits.max_buffer_bytes < CVY_PNG_CHUNK_MAX ? dec->limits.max_buffer_bytes
                                                                          : CVY_PNG_CHUNK_MAX;
    png_set_chunk_malloc_max(st->png, (png_alloc_size_t)chunk_max);
    png_read_info(st->png, st->info);

    png_uint_32 width, height;
    int bit_depth, color_type, interlace;
    png_get_IHDR(st->png, st->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    cvy_header *h = &dec->header;
    h->width = width;
    h->height = height;
    h->bit_depth = (uint32_t)bit_depth;
    h->color = pngdec_color(color_type);
    h->file_bands = png_get_channels(st->png, st->info);
    h->interlaced = interlace != PNG_INTERLACE_NONE;

    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(st->png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(st->png);
    if (png_get_valid(st->png, st->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(st->png);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (bit_depth == 16) png_set_swap(st->png);
#endif
    if (h->interlaced) png_set_interlace_handling(st->png);
    png_read_update_info(st->png, st->info);

    h->bands = png_get_channels(st->png, st->info);
    h->sample_bytes = png_get_bit_depth(st->png, st->info) == 16 ? 2 : 1;
    h->natural_rows = 1;
    if (png_get_rowbytes(st->png, st->info) != (size_t)width * h->bands * h->sample_bytes)
        return cvy_fail(dec, CVY_E_CORRUPT, "PNG: unexpected row layout");
    return CVY_OK;
}

/* Where the writer's error callback leaves its text. */
typedef struct png_write_sink {
    char *text;
    size_t size;
} png_write_sink;

static void on_png_write_error(png_structp png, png_const_charp msg) {
    png_write_sink *sink = png_get_error_ptr(png);
    if (sink->size) snprintf(sink->text, sink->size, "PNG: %s", msg);
    png_longjmp(png, 1);
}

static void on_png_write_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg; /* nothing convoy writes can trigger a meaningful warning; never print */
}

cvy_status cvy_png_write_rgb8(const char *path, uint32_t width, uint32_t height, uint32_t channels,
                              const uint8_t *pixels, size_t stride, char *message, size_t message_size) {
    if ((channels != 3 && channels != 4) || width == 0 || height == 0 || !pixels ||
        stride < (size_t)width * channels) {
        snprintf(message, message_size, "invalid PNG writer arguments");
        return CVY_E_USAGE;
    }
    FILE *volatile file = fopen(path, "wb");
    if (!file) {
        snprintf(message, message_size, "cannot create: %s", strerror(errno));
        return CVY_E_IO;
    }
    if (message_size) message[0] = '\0';
    png_write_sink sink = {message, message_size};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_png_write_error,
                                              on_png_write_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        snprintf(message, message_size, "PNG: out of memory");
        return CVY_E_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        if (message_size && message[0] == '\0') snprintf(message, message_size, "PNG: write failed");
        return CVY_E_IO;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, 8, channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fclose(file) != 0) {
        snprintf(message, message_size, "cannot write: %s", strerror(errno));
        return CVY_E_IO;
    }
    return CVY_OK;
}
