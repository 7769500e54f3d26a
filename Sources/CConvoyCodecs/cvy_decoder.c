/*
 * cvy_decoder.c: the format-independent part of a decoder: recognising the format by its
 * first bytes, limits, sticky failures and the row-reading contract.
 */
#include "cvy_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CVY_DEFAULT_MAX_PIXELS 2000000000ULL
#define CVY_DEFAULT_MAX_DIMENSION 1000000U
#define CVY_DEFAULT_MAX_BUFFER (1ULL << 30)

cvy_status cvy_fail(cvy_decoder *dec, cvy_status status, const char *fmt, ...) {
    if (dec->failure == CVY_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(dec->message, sizeof dec->message, fmt, ap);
        va_end(ap);
        dec->failure = status;
    }
    return dec->failure;
}

void cvy_note_warning(cvy_decoder *dec, const char *text) {
    if (dec->warnings == 0) snprintf(dec->first_warning, sizeof dec->first_warning, "%s", text);
    if (dec->warnings < UINT32_MAX) dec->warnings++;
}

size_t cvy_row_bytes(const cvy_header *h) {
    uint64_t bytes = (uint64_t)h->width * h->bands * h->sample_bytes;
    if (bytes > SIZE_MAX) return 0;
    return (size_t)bytes;
}

int cvy_check_dimensions(cvy_decoder *dec) {
    const cvy_header *h = &dec->header;
    if (h->width == 0 || h->height == 0) {
        cvy_fail(dec, CVY_E_CORRUPT, "invalid image size %ux%u", h->width, h->height);
        return 0;
    }
    if (h->width > dec->limits.max_dimension || h->height > dec->limits.max_dimension) {
        cvy_fail(dec, CVY_E_LIMIT, "image is %ux%u pixels; the limit is %u pixels on a side",
                 h->width, h->height, dec->limits.max_dimension);
        return 0;
    }
    uint64_t pixels = (uint64_t)h->width * h->height;
    if (pixels > dec->limits.max_pixels) {
        cvy_fail(dec, CVY_E_LIMIT, "image is %ux%u = %llu pixels; the limit is %llu pixels",
                 h->width, h->height, (unsigned long long)pixels,
                 (unsigned long long)dec->limits.max_pixels);
        return 0;
    }
    return 1;
}

int cvy_check_buffer(cvy_decoder *dec, uint64_t bytes, const char *what) {
    if (bytes > dec->limits.max_buffer_bytes) {
        cvy_fail(dec, CVY_E_LIMIT, "%s needs %llu bytes; the buffer limit is %llu bytes", what,
                 (unsigned long long)bytes, (unsigned long long)dec->limits.max_buffer_bytes);
        return 0;
    }
    return 1;
}

cvy_decoder *cvy_decoder_new(void) {
    return calloc(1, sizeof(cvy_decoder));
}

void cvy_decoder_free(cvy_decoder *dec) {
    if (!dec) return;
    if (dec->ops && dec->ops->close) dec->ops->close(dec);
    free(dec->scratch);
    free(dec);
}

static cvy_format sniff(const unsigned char *b, size_t n) {
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 8 && memcmp(b, png_sig, 8) == 0) return CVY_FORMAT_PNG;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return CVY_FORMAT_JPEG;
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
                   (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return CVY_FORMAT_TIFF;
    return CVY_FORMAT_UNKNOWN;
}

static void set_limits(cvy_decoder *dec, const cvy_limits *limits) {
    dec->limits.max_pixels = limits && limits->max_pixels ? limits->max_pixels : CVY_DEFAULT_MAX_PIXELS;
    dec->limits.max_dimension =
        limits && limits->max_dimension ? limits->max_dimension : CVY_DEFAULT_MAX_DIMENSION;
    dec->limits.max_buffer_bytes =
        limits && limits->max_buffer_bytes ? limits->max_buffer_bytes : CVY_DEFAULT_MAX_BUFFER;
    dec->limits.describe_unsupported = limits ? limits->describe_unsupported : 0;
}

static cvy_status unrecognised(cvy_decoder *dec, size_t n) {
    if (n == 0) return cvy_fail(dec, CVY_E_NOT_IMAGE, "empty file (0 bytes)");
    return cvy_fail(dec, CVY_E_NOT_IMAGE, "not a PNG, JPEG or TIFF image (unrecognised first bytes)");
}

/* The checks every opened image passes, whatever its source. */
static cvy_status check_opened(cvy_decoder *dec, cvy_status status) {
    if (status != CVY_OK) return cvy_fail(dec, status, "cannot decode header");
    if (!cvy_check_dimensions(dec)) return dec->failure;
    if (cvy_row_bytes(&dec->header) == 0) return cvy_fail(dec, CVY_E_LIMIT, "row size overflows");
    return CVY_OK;
}

cvy_status cvy_decoder_open(cvy_decoder *dec, const char *path, const cvy_limits *limits) {
    if (dec->opened) return cvy_fail(dec, CVY_E_USAGE, "decoder already opened");
    dec->opened = 1;
    set_limits(dec, limits);

    FILE *file = fopen(path, "rb");
    if (!file) return cvy_fail(dec, CVY_E_IO, "cannot open: %s", strerror(errno));
    unsigned char magic[8];
    size_t n = fread(magic, 1, sizeof magic, file);
    if (ferror(file)) {
        int err = errno;
        fclose(file);
        return cvy_fail(dec, CVY_E_IO, "cannot read: %s", strerror(err));
    }
    cvy_format format = sniff(magic, n);
    if (format == CVY_FORMAT_UNKNOWN) {
        fclose(file);
        return unrecognised(dec, n);
    }
    rewind(file);
    dec->header.format = format;
    cvy_status status;
    switch (format) {
    case CVY_FORMAT_PNG: status = cvy_png_open(dec, file); break;
    case CVY_FORMAT_JPEG: status = cvy_jpeg_open(dec, file); break;
    default: fclose(file); status = cvy_tiff_open(dec, path); break;
    }
    return check_opened(dec, status);
}

cvy_status cvy_decoder_open_memory(cvy_decoder *dec, const uint8_t *data, size_t size, const cvy_limits *limits) {
    if (dec->opened) return cvy_fail(dec, CVY_E_USAGE, "decoder already opened");
    dec->opened = 1;
    set_limits(dec, limits);
    if (!data && size) return cvy_fail(dec, CVY_E_USAGE, "no data");
    cvy_format format = sniff(data, size);
    if (format == CVY_FORMAT_UNKNOWN) return unrecognised(dec, size);
    dec->header.format = format;
    cvy_status status;
    if (format == CVY_FORMAT_TIFF) {
        status = cvy_tiff_open_memory(dec, data, size);
    } else {
        /* PNG and JPEG read through stdio, as from a file; "r" never writes to the buffer */
        FILE *file = fmemopen((void *)(uintptr_t)data, size, "rb");
        if (!file) return cvy_fail(dec, CVY_E_NOMEM, "cannot open the image in memory: %s", strerror(errno));
        status = format == CVY_FORMAT_PNG ? cvy_png_open(dec, file) : cvy_jpeg_open(dec, file);
    }
    return check_opened(dec, status);
}

const cvy_header *cvy_decoder_header(const cvy_decoder *dec) {
    return &dec->header;
}

cvy_status cvy_decoder_read_rows(cvy_decoder *dec, uint8_t *dst, size_t dst_size, uint32_t rows) {
    if (dec->failure != CVY_OK) return dec->failure;
    if (!dec->opened || !dec->ops) return cvy_fail(dec, CVY_E_USAGE, "decoder is not open");
    if (rows == 0) return CVY_OK;
    if (rows > dec->header.height - dec->rows_read)
        return cvy_fail(dec, CVY_E_USAGE, "asked for %u rows at row %u of %u", rows, dec->rows_read,
                        dec->header.height);
    size_t row_bytes = cvy_row_bytes(&dec->header);
    if (!dst || dst_size / row_bytes < rows)
        return cvy_fail(dec, CVY_E_USAGE, "destination buffer of %zu bytes is too small", dst_size);
    cvy_status status = dec->ops->read_rows(dec, dst, rows);
    if (status != CVY_OK) return cvy_fail(dec, status, "decode failed");
    dec->rows_read += rows;
    if (dec->rows_read == dec->header.height && dec->ops->finish) {
        status = dec->ops->finish(dec);
        if (status != CVY_OK) return cvy_fail(dec, status, "invalid data after the last row");
    }
    return dec->failure;
}

/* Luminance of `n` RGB pixels: (r + g + b + 1) / 3 as (r + g + b + 1) * 21846 >> 16, exact for
   s + 1 <= 766 (the error, below 0.008, never reaches the next integer, since s / 3 has a
   fractional part of 0, 1/3 or 2/3). The same loop twice: the baseline x86-64 target leaves it
   scalar (deinterleaving three bytes costs too many SSE2 shuffles), the AVX2 one vectorizes it
   32 pixels at a time, picked at run time; both give the same bytes. */
#define CVY_LUMINANCE_RGB8_BODY                                                   \
    for (size_t x = 0; x < n; x++) {                                              \
        uint32_t s = (uint32_t)src[3 * x] + src[3 * x + 1] + src[3 * x + 2] + 1;  \
        dst[x] = (uint8_t)((s * 21846u) >> 16);                                   \
    }

static void luminance_rgb8(const uint8_t *restrict src, uint8_t *restrict dst, size_t n) {
    CVY_LUMINANCE_RGB8_BODY
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CVY_LUMINANCE_AVX2 1
__attribute__((target("avx2"))) static void luminance_rgb8_avx2(const uint8_t *restrict src, uint8_t *restrict dst,
                                                                 size_t n) {
    CVY_LUMINANCE_RGB8_BODY
}
#endif

/* Luminance of `n` pixels of `bands` 8-bit samples. */
static void luminance8(const uint8_t *src, uint8_t *dst, size_t n, uint32_t bands) {
    if (bands == 3) {
#ifdef CVY_LUMINANCE_AVX2
        if (__builtin_cpu_supports("avx2")) {
            luminance_rgb8_avx2(src, dst, n);
            return;
        }
#endif
        luminance_rgb8(src, dst, n);
    } else if (bands > 3) {
        for (size_t x = 0; x < n; x++) {
            const uint8_t *p = src + x * bands;
            dst[x] = (uint8_t)((((uint32_t)p[0] + p[1] + p[2] + 1) * 21846u) >> 16);
        }
    } else {
        for (size_t x = 0; x < n; x++) dst[x] = src[x * bands];
    }
}

static void luminance16(const uint16_t *src, uint8_t *dst, size_t n, uint32_t bands) {
    for (size_t x = 0; x < n; x++) {
        const uint16_t *p = src + x * bands;
        uint32_t v = bands >= 3 ? ((uint32_t)p[0] + p[1] + p[2] + 1) / 3 : p[0];
        dst[x] = (uint8_t)((v + 128) / 257);
    }
}

/* Colourfulness: the largest minus the smallest of the first three samples (0 for 1 or 2 bands). */
static inline uint32_t spread3(uint32_t a, uint32_t b, uint32_t c) {
    uint32_t hi = a > b ? a : b, lo = a < b ? a : b;
    return (c > hi ? c : hi) - (c < lo ? c : lo);
}

static void chroma8(const uint8_t *src, uint8_t *dst, size_t n, uint32_t bands) {
    if (bands < 3) {
        memset(dst, 0, n);
        return;
    }
    for (size_t x = 0; x < n; x++, src += bands) dst[x] = (uint8_t)spread3(src[0], src[1], src[2]);
}

static void chroma16(const uint16_t *src, uint8_t *dst, size_t n, uint32_t bands) {
    if (bands < 3) {
        memset(dst, 0, n);
        return;
    }
    for (size_t x = 0; x < n; x++, src += bands) dst[x] = (uint8_t)((spread3(src[0], src[1], src[2]) + 128) / 257);
}

cvy_status cvy_decoder_read_luminance(cvy_decoder *dec, uint8_t *dst, uint8_t *chroma, size_t dst_size, uint32_t rows) {
    if (dec->failure != CVY_OK) return dec->failure;
    if (!dec->opened || !dec->ops) return cvy_fail(dec, CVY_E_USAGE, "decoder is not open");
    size_t width = dec->header.width, row_bytes = cvy_row_bytes(&dec->header);
    if (!dst || dst_size / width < rows)
        return cvy_fail(dec, CVY_E_USAGE, "destination buffer of %zu bytes is too small", dst_size);
    /* a few rows at a time: small enough to stay in cache, at least 16 KB per chunk */
    uint32_t chunk = (uint32_t)(row_bytes >= 16384 ? 1 : 16384 / row_bytes + 1);
    if (dec->scratch_size < chunk * row_bytes) {
        free(dec->scratch);
        dec->scratch_size = 0;
        dec->scratch = malloc(chunk * row_bytes);
        if (!dec->scratch) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
        dec->scratch_size = chunk * row_bytes;
    }
    for (uint32_t done = 0; done < rows;) {
        uint32_t n = rows - done < chunk ? rows - done : chunk;
        cvy_status status = cvy_decoder_read_rows(dec, dec->scratch, dec->scratch_size, n);
        if (status != CVY_OK) return status;
        cvy_samples_to_luminance(dec->scratch, (uint32_t)width, dec->header.bands, dec->header.sample_bytes, n,
                                 dst + (size_t)done * width, chroma ? chroma + (size_t)done * width : NULL);
        done += n;
    }
    return CVY_OK;
}

void cvy_samples_to_luminance(const uint8_t *src, uint32_t width, uint32_t bands, uint32_t sample_bytes, uint32_t rows,
                              uint8_t *dst, uint8_t *chroma) {
    size_t row_bytes = (size_t)width * bands * sample_bytes;
    for (uint32_t k = 0; k < rows; k++) {
        uint8_t *out = dst + (size_t)k * width;
        const uint8_t *in = src + (size_t)k * row_bytes;
        if (sample_bytes == 2)
            luminance16((const uint16_t *)(const void *)in, out, width, bands);
        else
            luminance8(in, out, width, bands);
        if (chroma) {
            uint8_t *c = chroma + (size_t)k * width;
            if (sample_bytes == 2)
                chroma16((const uint16_t *)(const void *)in, c, width, bands);
            else
                chroma8(in, c, width, bands);
        }
    }
}

void cvy_decoder_set_threads(cvy_decoder *dec, uint32_t threads) { dec->threads = threads; }
uint32_t cvy_decoder_rows_read(const cvy_decoder *dec) { return dec->rows_read; }
const char *cvy_decoder_message(const cvy_decoder *dec) { return dec->message; }
uint32_t cvy_decoder_warning_count(const cvy_decoder *dec) { return dec->warnings; }
const char *cvy_decoder_first_warning(const cvy_decoder *dec) { return dec->first_warning; }

int cvy_tiff_tag_doubles(cvy_decoder *dec, uint32_t tag, const double **values, uint32_t *count) {
    if (!dec->opened || dec->failure != CVY_OK || dec->header.format != CVY_FORMAT_TIFF) return 0;
    return cvy_tiff_get_doubles(dec, tag, values, count);
}
int cvy_tiff_tag_shorts(cvy_decoder *dec, uint32_t tag, const uint16_t **values, uint32_t *count) {
    if (!dec->opened || dec->failure != CVY_OK || dec->header.format != CVY_FORMAT_TIFF) return 0;
    return cvy_tiff_get_shorts(dec, tag, values, count);
}
int cvy_tiff_tag_ascii(cvy_decoder *dec, uint32_t tag, const char **value) {
    if (!dec->opened || dec->failure != CVY_OK || dec->header.format != CVY_FORMAT_TIFF) return 0;
    return cvy_tiff_get_ascii(dec, tag, value);
}
