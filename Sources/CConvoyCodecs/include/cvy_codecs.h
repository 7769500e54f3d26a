/*
 * cvy_codecs.h: the C face of convoy's image codecs.
 *
 * Why this shim exists: libpng and libjpeg report fatal errors by calling an error
 * callback that must not return; the only way back to the caller is longjmp to a
 * setjmp point. Swift cannot call setjmp, and a longjmp across Swift frames is
 * undefined behaviour. So every call into libpng, libjpeg-turbo and libtiff lives
 * in this target, behind setjmp points owned here, and Swift sees only status
 * codes and messages. Nothing here prints: every library warning and error is
 * captured into the decoder's message buffer.
 *
 * All symbols are prefixed cvy_. A decoder is not thread-safe; distinct decoders
 * may be used on distinct threads at once.
 */
#ifndef CVY_CODECS_H
#define CVY_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of every call. Values are stable: Swift maps them to error kinds. */
typedef enum cvy_status {
    CVY_OK = 0,
    CVY_E_IO = 1,          /* the file could not be opened or read (errno in the message) */
    CVY_E_NOT_IMAGE = 2,   /* not a PNG, JPEG or TIFF by its first bytes */
    CVY_E_CORRUPT = 3,     /* the codec found invalid data */
    CVY_E_TRUNCATED = 4,   /* the data ends early */
    CVY_E_UNSUPPORTED = 5, /* a valid file using a variant convoy does not decode */
    CVY_E_LIMIT = 6,       /* the image exceeds a configured limit (pixels, dimension, memory) */
    CVY_E_NOMEM = 7,       /* an allocation failed */
    CVY_E_USAGE = 8,       /* the caller broke the API contract (reading past the end, ...) */
} cvy_status;

typedef enum cvy_format {
    CVY_FORMAT_UNKNOWN = 0,
    CVY_FORMAT_PNG = 1,
    CVY_FORMAT_JPEG = 2,
    CVY_FORMAT_TIFF = 3,
} cvy_format;

/* What the stored samples mean, before conversion for delivery. */
typedef enum cvy_color {
    CVY_COLOR_GRAY = 0,
    CVY_COLOR_GRAY_ALPHA = 1,
    CVY_COLOR_RGB = 2,
    CVY_COLOR_RGBA = 3,
    CVY_COLOR_PALETTE = 4,  /* delivered as RGB or RGBA */
    CVY_COLOR_CMYK = 5,     /* JPEG CMYK/YCCK, delivered as RGB */
    CVY_COLOR_YCBCR = 6,    /* delivered as RGB */
    CVY_COLOR_MULTIBAND = 7 /* TIFF with bands that are not a colour model (e.g. RGB+NIR) */
} cvy_color;

/*
 * Limits applied while opening and decoding. Zero in a field means "use the default".
 *   max_pixels        width * height; default 2,000,000,000.
 *   max_dimension     width or height; default 1,000,000 (libpng's own default).
 *   max_buffer_bytes  the largest single buffer a decoder may allocate: a TIFF tile row,
 *                     an interlaced PNG, a progressive JPEG's coefficients, libpng chunk
 *                     data and libtiff allocations; default 1 GiB.
 */
typedef struct cvy_limits {
    uint64_t max_pixels;
    uint32_t max_dimension;
    uint64_t max_buffer_bytes;
    /* Non-zero: a valid file in a variant convoy cannot decode (float TIFF, ...) still opens, so
       its header and tags can be described; cvy_header.unsupported is then 1, the reason is in
       cvy_decoder_message, and reading rows fails with CVY_E_UNSUPPORTED. */
    uint32_t describe_unsupported;
} cvy_limits;

/* The header of an opened image. Delivered samples are interleaved per pixel,
   `bands` samples per pixel, each `sample_bytes` wide (2 = host-endian uint16). */
typedef struct cvy_header {
    cvy_format format;
    uint32_t width;
    uint32_t height;
    uint32_t file_bands;      /* samples per pixel as stored (a palette image has 1) */
    uint32_t bands;           /* samples per pixel as delivered by cvy_decoder_read_rows */
    uint32_t bit_depth;       /* bits per stored sample, 1..16 */
    uint32_t sample_bytes;    /* bytes per delivered sample: 1 or 2 */
    cvy_color color;
    uint32_t interlaced;      /* PNG Adam7 or progressive JPEG: 1 */
    uint32_t tiled;           /* TIFF tiles: 1 */
    uint32_t tile_width;      /* TIFF tiled only */
    uint32_t tile_height;
    uint32_t natural_rows;    /* rows decoded together by the codec (strip, tile row, MCU row) */
    uint32_t compression;     /* TIFF compression tag value; 0 otherwise */
    uint32_t planar_separate; /* TIFF PlanarConfiguration 2: 1 */
    uint32_t big_tiff;        /* 1 for BigTIFF */
    uint32_t arithmetic;      /* JPEG arithmetic coding: 1 */
    uint32_t unsupported;     /* opened for description only: rows cannot be decoded (see cvy_limits) */
} cvy_header;

typedef struct cvy_decoder cvy_decoder;

/* Allocate a decoder. Returns NULL only when memory is exhausted. */
cvy_decoder *cvy_decoder_new(void);

/* Release a decoder and everything it holds. NULL is ignored. */
void cvy_decoder_free(cvy_decoder *dec);

/* Open `path`, recognise its format from its first bytes, read its header and check
   limits. On failure the reason is in cvy_decoder_message. A decoder opens once. */
cvy_status cvy_decoder_open(cvy_decoder *dec, const char *path, const cvy_limits *limits);

/* Like cvy_decoder_open, but reads the image from `size` bytes at `data` (an image held in
   memory, or a fuzzer's input). The bytes are not copied: they must stay valid and unchanged
   until the decoder is freed. The same decoding code runs as for a file. */
cvy_status cvy_decoder_open_memory(cvy_decoder *dec, const uint8_t *data, size_t size, const cvy_limits *limits);

/* The header; valid after a successful open. */
const cvy_header *cvy_decoder_header(const cvy_decoder *dec);

/* Decode the next `rows` rows, in order from the top, into `dst` (`dst_size` bytes,
   at least rows * width * bands * sample_bytes). After the last row the codec checks
   the rest of the file (PNG end chunks and checksums, JPEG end of image), so a
   truncated or corrupt tail is reported by the final call. Once a call fails, every
   later call fails with the same status. */
cvy_status cvy_decoder_read_rows(cvy_decoder *dec, uint8_t *dst, size_t dst_size, uint32_t rows);

/* Like cvy_decoder_read_rows, but delivers one 8-bit luminance sample per pixel (`dst` holds at
   least rows * width bytes): the mean of the first three samples, rounded, (r + g + b + 1) / 3,
   for 3 or more bands, else the first sample; 16-bit samples are then scaled to 8 bits,
   (v + 128) / 257. Rows are converted a few at a time while they are in cache, so the colour
   rows never exist whole. Calls to the two read functions may be mixed.
   `chroma`, unless NULL (as large as `dst`, `dst_size` bytes), receives each pixel's
   colourfulness in the same pass: the largest minus the smallest of the first three samples,
   0 to 255 (16-bit: scaled as luminance is), 0 for images of 1 or 2 bands. Grey asphalt and
   concrete are nearly colourless, fields and forest are not: the detector reads it to tell a
   road from ground of the same gray level. */
cvy_status cvy_decoder_read_luminance(cvy_decoder *dec, uint8_t *dst, uint8_t *chroma, size_t dst_size, uint32_t rows);

/* The conversion cvy_decoder_read_luminance makes, on `rows` rows as cvy_decoder_read_rows
   delivers them (`width` pixels of `bands` samples of `sample_bytes` bytes, 1 or 2, each row
   width * bands * sample_bytes bytes; 16-bit samples aligned to 2 bytes) into `dst`
   (rows * width bytes) and, unless NULL, `chroma` (as large). It touches no decoder and no
   codec library. Why it exists: a program that decodes on one thread and analyses on another
   hands the decoded rows over and converts them on the analysing thread, which has time to
   spare while the decoder does not (convoy's 256 MP scale scene: the conversion was a tenth
   of the decoding thread's time, and the decoding thread is the one that sets the pace). */
void cvy_samples_to_luminance(const uint8_t *src, uint32_t width, uint32_t bands, uint32_t sample_bytes, uint32_t rows,
                              uint8_t *dst, uint8_t *chroma);

/* Decoding threads (tiled TIFF: the tiles of a row of tiles are decoded in parallel, each
   thread through its own libtiff handle on the same file; the delivered rows are the same
   bytes whatever the count). 0, the default, means one per online CPU; 1 decodes on the
   calling thread only. Set before the first read. */
void cvy_decoder_set_threads(cvy_decoder *dec, uint32_t threads);

/* The number of rows delivered so far. */
uint32_t cvy_decoder_rows_read(const cvy_decoder *dec);

/* The message of the last failure, or "" when none. Never NULL. */
const char *cvy_decoder_message(const cvy_decoder *dec);

/* Warnings the codec emitted and convoy tolerated (a benign ancillary chunk CRC, extra
   bytes between JPEG markers). The first one's text is in cvy_decoder_first_warning. */
uint32_t cvy_decoder_warning_count(const cvy_decoder *dec);
const char *cvy_decoder_first_warning(const cvy_decoder *dec);

/*
 * TIFF tags for georeference. Each returns 1 and sets *values / *count when the tag is
 * present, else 0. The memory belongs to the decoder and stays valid until it is freed.
 * Tags: 33550 ModelPixelScale, 33922 ModelTiepoint, 34264 ModelTransformation,
 * 34736 GeoDoubleParams (doubles); 34735 GeoKeyDirectory (shorts);
 * 34737 GeoAsciiParams, 42112 GDAL_METADATA, 42113 GDAL_NODATA (ASCII).
 */
int cvy_tiff_tag_doubles(cvy_decoder *dec, uint32_t tag, const double **values, uint32_t *count);
int cvy_tiff_tag_shorts(cvy_decoder *dec, uint32_t tag, const uint16_t **values, uint32_t *count);
int cvy_tiff_tag_ascii(cvy_decoder *dec, uint32_t tag, const char **value);

/*
 * Write an 8-bit PNG: `channels` 3 (RGB) or 4 (RGBA), rows top to bottom, `stride` bytes
 * apart. Writes `path` directly; the caller arranges atomic replacement. On failure
 * returns a status and copies the reason into `message` (`message_size` bytes).
 */
cvy_status cvy_png_write_rgb8(const char *path, uint32_t width, uint32_t height, uint32_t channels,
                              const uint8_t *pixels, size_t stride, char *message, size_t message_size);

/* The libraries' versions, for `convoy --version`-style reports. */
const char *cvy_codec_versions(void);

#ifdef __cplusplus
}
#endif

#endif /* CVY_CODECS_H */
