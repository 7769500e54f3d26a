/*
 * cvy_tiff.c: TIFF, BigTIFF, GeoTIFF and Cloud-Optimized GeoTIFF pixels through libtiff.
 *
 * Reads the first image directory (a COG's full-resolution image). 8- and 16-bit unsigned
 * samples, 1 to 16 bands, strips or tiles, contiguous or separate planes, any compression
 * this libtiff was built with. Palette images are delivered as RGB, MinIsWhite inverted to
 * MinIsBlack, JPEG-compressed YCbCr as RGB.
 *
 * Memory: contiguous strips are read a scanline at a time; tiled images a row of tiles at a
 * time and separate-plane strips a strip per plane at a time, so memory grows with the
 * image width, never its area.
 *
 * Threads: the tiles of a row of tiles are decoded in parallel (cvy_decoder_set_threads). A
 * libtiff handle is not thread-safe, so each extra thread opens its own handle on the same
 * file, with its own tile buffer and its own error capture, and decodes a contiguous run of
 * tile columns straight into its columns of the shared band; the band is the same bytes as
 * one thread's. Failures are reported as the sequential decode would: the leftmost failing
 * tile's.
 */
#include "cvy_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

typedef struct tiff_state {
    TIFF *tif;
    cvy_decoder *dec;
    uint16_t photometric;
    uint16_t samples;       /* samples per pixel in the file */
    int palette;            /* expand through the colour map */
    int invert;             /* MinIsWhite */
    uint16_t *map[3];       /* palette colour map, owned by libtiff */
    size_t file_row_bytes;  /* one row in file samples, interleaved */
    uint8_t *raw_row;       /* one row in file samples, before conversion */
    /* tiled or separate-plane images: a band of whole rows assembled from tiles/strips */
    uint8_t *band;
    uint32_t band_first;    /* first image row held in band */
    uint32_t band_rows;     /* rows held in band; 0 before the first fill */
    uint32_t band_capacity; /* rows band can hold */
    uint8_t *piece;         /* one tile, or one strip of one plane */
    tmsize_t piece_size;
    struct tiff_memory *memory; /* the image's bytes when read from memory; owned here */
    /* parallel tile decoding: the extra threads' states, opened on the first band */
    char *path;
    struct tiff_worker *workers;
    uint32_t worker_count;  /* extra threads; 0 = the calling thread decodes alone */
    int workers_planned;
    int handle_options_failed;
} tiff_state;

/* One extra decoding thread: its own handle and tile buffer (in `st`, whose `dec` is `dec`,
   a private decoder that captures its failures and warnings), and the tile columns it
   decodes in the current band. */
typedef struct tiff_worker {
    tiff_state st;
    cvy_decoder dec;
    uint32_t column_first, column_end; /* tile columns [first, end) */
    uint32_t band_first, band_rows;
    pthread_t thread;
} tiff_worker;

/* libtiff's geotiff and GDAL tags, registered so that they are read with their types. */
static const TIFFFieldInfo geotiff_fields[] = {
    {33550, -1, -1, TIFF_DOUBLE, FIELD_CUSTOM, 1, 1, "ModelPixelScaleTag"},
    {33922, -1, -1, TIFF_DOUBLE, FIELD_CUSTOM, 1, 1, "ModelTiepointTag"},
    {34264, -1, -1, TIFF_DOUBLE, FIELD_CUSTOM, 1, 1, "ModelTransformationTag"},
    {34735, -1, -1, TIFF_SHORT, FIELD_CUSTOM, 1, 1, "GeoKeyDirectoryTag"},
    {34736, -1, -1, TIFF_DOUBLE, FIELD_CUSTOM, 1, 1, "GeoDoubleParamsTag"},
    {34737, -1, -1, TIFF_ASCII, FIELD_CUSTOM, 1, 0, "GeoASCIIParamsTag"},
    {42112, -1, -1, TIFF_ASCII, FIELD_CUSTOM, 1, 0, "GDALMetadata"},
    {42113, -1, -1, TIFF_ASCII, FIELD_CUSTOM, 1, 0, "GDALNoDataValue"},
};

static TIFFExtendProc previous_extender = NULL;

static void extend_tags(TIFF *tif) {
    TIFFMergeFieldInfo(tif, geotiff_fields, sizeof geotiff_fields / sizeof geotiff_fields[0]);
    if (previous_extender) previous_extender(tif);
}

static pthread_once_t tiff_setup_once = PTHREAD_ONCE_INIT;

/* Process-wide libtiff settings: register the GeoTIFF tags, and silence the global
   handlers that a few libtiff paths still use instead of the per-file ones. */
static void tiff_setup(void) {
    previous_extender = TIFFSetTagExtender(extend_tags);
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static cvy_status classify_message(const char *text) {
    if (strstr(text, "Read error") || strstr(text, "Not enough data") || strstr(text, "Premature") ||
        strstr(text, "end of file") || strstr(text, "Cannot read TIFF header") ||
        strstr(text, "past end"))
        return CVY_E_TRUNCATED;
    if (strstr(text, "emory allocation") || strstr(text, "limit")) return CVY_E_LIMIT;
    return CVY_E_CORRUPT;
}

static int on_tiff_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    tiff_state *st = user;
    char text[400];
    vsnprintf(text, sizeof text, fmt, ap);
    cvy_fail(st->dec, classify_message(text), "TIFF: %s%s%s", module ? module : "", module ? ": " : "",
             text);
    return 1;
}

static int on_tiff_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    (void)module;
    tiff_state *st = user;
    char text[300];
    int n = snprintf(text, sizeof text, "TIFF: ");
    vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
    cvy_note_warning(st->dec, text);
    return 1;
}

/* Turn one row of file samples into delivered samples. */
static void convert_row(tiff_state *st, const uint8_t *raw, uint8_t *out) {
    uint32_t width = st->dec->header.width;
    if (st->palette) {
        for (uint32_t x = 0; x < width; x++) {
            uint8_t index = raw[x];
            for (int c = 0; c < 3; c++) out[3 * x + c] = (uint8_t)((st->map[c][index] + 128u) / 257u);
        }
        return;
    }
    if (raw != out) memcpy(out, raw, st->file_row_bytes);
    if (st->invert) {
        if (st->dec->header.sample_bytes == 1) {
            for (size_t i = 0; i < st->file_row_bytes; i++) out[i] = (uint8_t)(255 - out[i]);
        } else {
            uint16_t *p = (uint16_t *)(void *)out;
            for (size_t i = 0; i < st->file_row_bytes / 2; i++) p[i] = (uint16_t)(65535 - p[i]);
        }
    }
}

/* Decode the pieces (tiles, or the strip) of pieces columns [column_first, column_end) of the
   band of `rows` rows at `first` into their columns of st->band, through st->tif and st->piece;
   failures go to st->dec. */
static cvy_status decode_columns(tiff_state *st, uint32_t column_first, uint32_t column_end, uint32_t first,
                                 uint32_t rows) {
    cvy_decoder *dec = st->dec;
    const cvy_header *h = &dec->header;
    uint32_t sample_bytes = h->sample_bytes;
    uint32_t planes = h->planar_separate ? st->samples : 1;
    uint32_t samples_in_piece = h->planar_separate ? 1 : st->samples;
    uint32_t piece_width = h->tiled ? h->tile_width : h->width;
    size_t pixel_bytes = (size_t)st->samples * sample_bytes;

    for (uint32_t column = column_first; column < column_end; column++) {
        uint32_t x0 = column * piece_width;
        uint32_t cols = h->width - x0 < piece_width ? h->width - x0 : piece_width;
        for (uint32_t p = 0; p < planes; p++) {
            tmsize_t got;
            /* libtiff may report a piece whose compressed data ends early as decoded in full,
               leaving the rest of the buffer as it was (FuzzTIFF: a Deflate strip with a
               horizontal predictor), so the buffer is cleared first: the pixels then do not
               depend on what the buffer held before (the previous tile, or another thread's) */
            memset(st->piece, 0, (size_t)st->piece_size);
            if (h->tiled) {
                uint32_t tile = TIFFComputeTile(st->tif, x0, first, 0, (uint16_t)p);
                got = TIFFReadEncodedTile(st->tif, tile, st->piece, st->piece_size);
            } else {
                uint32_t strip = TIFFComputeStrip(st->tif, first, (uint16_t)p);
                got = TIFFReadEncodedStrip(st->tif, strip, st->piece, st->piece_size);
            }
            if (got < 0 || dec->failure != CVY_OK)
                return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: cannot decode the %s at row %u, column %u",
                                h->tiled ? "tile" : "strip", first, x0);
            size_t piece_row_bytes = (size_t)piece_width * samples_in_piece * sample_bytes;
            if ((uint64_t)got < (uint64_t)piece_row_bytes * (rows - 1) + (size_t)cols * samples_in_piece * sample_bytes)
                return cvy_fail(dec, CVY_E_TRUNCATED, "TIFF: the %s at row %u holds too few bytes",
                                h->tiled ? "tile" : "strip", first);
            for (uint32_t y = 0; y < rows; y++) {
                const uint8_t *src = st->piece + (size_t)y * piece_row_bytes;
                uint8_t *dst = st->band + (size_t)y * st->file_row_bytes + (size_t)x0 * pixel_bytes;
                if (!h->planar_separate) {
                    memcpy(dst, src, (size_t)cols * pixel_bytes);
                } else if (sample_bytes == 1) {
                    for (uint32_t x = 0; x < cols; x++) dst[(size_t)x * st->samples + p] = src[x];
                } else {
                    const uint16_t *s16 = (const uint16_t *)(const void *)src;
                    uint16_t *d16 = (uint16_t *)(void *)dst;
                    for (uint32_t x = 0; x < cols; x++) d16[(size_t)x * st->samples + p] = s16[x];
                }
            }
        }
    }
    return CVY_OK;
}

static void *worker_main(void *arg) {
    tiff_worker *w = arg;
    decode_columns(&w->st, w->column_first, w->column_end, w->band_first, w->band_rows);
    return NULL;
}

static TIFF *open_handle(tiff_state *st, const char *path, struct tiff_memory *memory);
static void configure_handle(tiff_state *st);

/* Decoding threads for this image: extra ones only for tiled images with several tile columns. */
static void plan_workers(tiff_state *st) {
    cvy_decoder *dec = st->dec;
    const cvy_header *h = &dec->header;
    st->workers_planned = 1;
    if (!h->tiled || !st->path) return;
    uint32_t columns = (h->width + h->tile_width - 1) / h->tile_width;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t threads = dec->threads ? dec->threads : online > 0 ? (uint32_t)online : 1;
    if (threads > 16) threads = 16;
    if (threads > columns) threads = columns;
    if (threads <= 1) return;
    st->workers = calloc(threads - 1, sizeof *st->workers);
    if (!st->workers) return; /* decode on this thread alone */
    for (uint32_t k = 0; k < threads - 1; k++) {
        tiff_worker *w = &st->workers[k];
        w->dec.header = dec->header;
        w->dec.limits = dec->limits;
        w->dec.opened = 1;
        w->st = *st;
        w->st.dec = &w->dec;
        w->st.workers = NULL;
        w->st.worker_count = 0;
        w->st.raw_row = NULL;
        w->st.piece = malloc((size_t)st->piece_size);
        w->st.tif = w->st.piece ? open_handle(&w->st, st->path, NULL) : NULL;
        uint32_t width = 0, height = 0, tw = 0, th = 0;
        int same = w->st.tif && TIFFGetField(w->st.tif, TIFFTAG_IMAGEWIDTH, &width) &&
                   TIFFGetField(w->st.tif, TIFFTAG_IMAGELENGTH, &height) &&
                   TIFFGetField(w->st.tif, TIFFTAG_TILEWIDTH, &tw) && TIFFGetField(w->st.tif, TIFFTAG_TILELENGTH, &th) &&
                   width == h->width && height == h->height && tw == h->tile_width && th == h->tile_height &&
                   TIFFTileSize64(w->st.tif) == (uint64_t)st->piece_size;
        if (!same || w->dec.failure != CVY_OK) {
            /* no second handle (out of descriptors, ...): fewer threads, same bytes */
            if (w->st.tif) TIFFClose(w->st.tif);
            free(w->st.piece);
            break;
        }
        configure_handle(&w->st);
        w->dec.warnings = 0; /* the header's warnings were counted once, by the first handle */
        st->worker_count = k + 1;
    }
}

/* Fill st->band with the tile row or strip that holds image row `row`. */
static cvy_status fill_band(tiff_state *st, uint32_t row) {
    cvy_decoder *dec = st->dec;
    const cvy_header *h = &dec->header;
    uint32_t chunk_rows = h->natural_rows;
    uint32_t first = row - row % chunk_rows;
    uint32_t rows = h->height - first < chunk_rows ? h->height - first : chunk_rows;
    uint32_t piece_width = h->tiled ? h->tile_width : h->width;
    uint32_t columns = (h->width + piece_width - 1) / piece_width;

    if (!st->workers_planned) plan_workers(st);
    uint32_t threads = st->worker_count + 1;
    /* thread k decodes tile columns [k C / T, (k + 1) C / T); this thread takes the first run */
    uint32_t started = 0;
    for (uint32_t k = 1; k < threads; k++) {
        tiff_worker *w = &st->workers[k - 1];
        w->st.band = st->band;
        w->column_first = (uint32_t)((uint64_t)columns * k / threads);
        w->column_end = (uint32_t)((uint64_t)columns * (k + 1) / threads);
        w->band_first = first;
        w->band_rows = rows;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            /* no thread: this one decodes that run itself */
            worker_main(w);
            continue;
        }
        started |= 1u << (k - 1);
    }
    cvy_status status = decode_columns(st, 0, (uint32_t)((uint64_t)columns / threads), first, rows);
    for (uint32_t k = 1; k < threads; k++) {
        tiff_worker *w = &st->workers[k - 1];
        if (started & (1u << (k - 1))) pthread_join(w->thread, NULL);
    }
    /* the leftmost failure wins, as in a sequential decode; warnings in column order */
    for (uint32_t k = 1; k < threads; k++) {
        tiff_worker *w = &st->workers[k - 1];
        if (w->dec.warnings) {
            if (dec->warnings == 0) snprintf(dec->first_warning, sizeof dec->first_warning, "%s", w->dec.first_warning);
            dec->warnings = dec->warnings + w->dec.warnings < dec->warnings ? UINT32_MAX : dec->warnings + w->dec.warnings;
            w->dec.warnings = 0;
        }
        if (status == CVY_OK && w->dec.failure != CVY_OK)
            status = cvy_fail(dec, w->dec.failure, "%s", w->dec.message);
    }
    if (status != CVY_OK) return status;
    st->band_first = first;
    st->band_rows = rows;
    return CVY_OK;
}

static cvy_status tiff_read_rows(cvy_decoder *dec, uint8_t *dst, uint32_t rows) {
    tiff_state *st = dec->state;
    if (dec->header.unsupported) {
        char reason[sizeof dec->message];
        snprintf(reason, sizeof reason, "%s", dec->message);
        return cvy_fail(dec, CVY_E_UNSUPPORTED, "%s", reason);
    }
    size_t row_bytes = cvy_row_bytes(&dec->header);
    for (uint32_t i = 0; i < rows; i++) {
        uint32_t row = dec->rows_read + i;
        uint8_t *out = dst + (size_t)i * row_bytes;
        const uint8_t *raw;
        if (st->band) {
            if (st->band_rows == 0 || row >= st->band_first + st->band_rows) {
                cvy_status s = fill_band(st, row);
                if (s != CVY_OK) return s;
            }
            raw = st->band + (size_t)(row - st->band_first) * st->file_row_bytes;
        } else {
            uint8_t *target = st->palette ? st->raw_row : out;
            /* cleared first, as a tile is in decode_columns: a row libtiff reports as decoded
               may be partly unwritten (FuzzTIFF: a 37 x 1 Deflate row with a predictor, 4 of its
               74 bytes written), and the rest must not be whatever the caller's buffer held */
            memset(target, 0, (size_t)TIFFScanlineSize64(st->tif));
            if (TIFFReadScanline(st->tif, target, row, 0) < 0 || dec->failure != CVY_OK)
                return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: cannot decode row %u", row);
            raw = target;
        }
        convert_row(st, raw, out);
    }
    return CVY_OK;
}

static void tiff_close(cvy_decoder *dec) {
    tiff_state *st = dec->state;
    if (!st) return;
    if (st->tif) TIFFClose(st->tif);
    free(st->memory);
    for (uint32_t k = 0; k < st->worker_count; k++) {
        TIFFClose(st->workers[k].st.tif);
        free(st->workers[k].st.piece);
    }
    free(st->workers);
    free(st->path);
    free(st->raw_row);
    free(st->band);
    free(st->piece);
    free(st);
    dec->state = NULL;
}

static const cvy_codec_ops tiff_ops = {tiff_read_rows, NULL, tiff_close};

static const char *sample_format_name(uint16_t format) {
    switch (format) {
    case SAMPLEFORMAT_INT: return "signed integer";
    case SAMPLEFORMAT_IEEEFP: return "floating point";
    case SAMPLEFORMAT_COMPLEXINT: return "complex integer";
    case SAMPLEFORMAT_COMPLEXIEEEFP: return "complex floating point";
    default: return "unknown";
    }
}

/* A valid variant convoy does not decode: a failure, or with describe_unsupported a note that
   lets the header be described and makes every row read fail. */
static cvy_status unsupported(tiff_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static cvy_status unsupported(tiff_state *st, const char *fmt, ...) {
    cvy_decoder *dec = st->dec;
    char text[sizeof dec->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!dec->limits.describe_unsupported) return cvy_fail(dec, CVY_E_UNSUPPORTED, "%s", text);
    snprintf(dec->message, sizeof dec->message, "%s", text);
    dec->header.unsupported = 1;
    return CVY_E_UNSUPPORTED;
}

/* Sets up the header and the reading plan from the open directory. */
static cvy_status describe(tiff_state *st) {
    cvy_decoder *dec = st->dec;
    cvy_header *h = &dec->header;
    TIFF *tif = st->tif;
    uint32_t width = 0, height = 0;
    uint16_t samples = 1, bits = 1, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG,
             compression = COMPRESSION_NONE, photometric;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height))
        return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: no image size");
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric))
        photometric = samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;

    h->width = width;
    h->height = height;
    h->file_bands = samples;
    h->bit_depth = bits;
    h->compression = compression;
    h->planar_separate = planar == PLANARCONFIG_SEPARATE;
    h->big_tiff = TIFFIsBigTIFF(tif) ? 1 : 0;
    h->tiled = TIFFIsTiled(tif) ? 1 : 0;
    st->samples = samples;
    st->photometric = photometric;
    h->bands = samples;
    h->sample_bytes = bits > 8 ? 2 : 1;
    h->color = photometric == PHOTOMETRIC_RGB         ? CVY_COLOR_RGB
               : photometric == PHOTOMETRIC_PALETTE   ? CVY_COLOR_PALETTE
               : photometric == PHOTOMETRIC_SEPARATED ? CVY_COLOR_CMYK
               : photometric == PHOTOMETRIC_YCBCR     ? CVY_COLOR_YCBCR
               : samples == 1                         ? CVY_COLOR_GRAY
                                                      : CVY_COLOR_MULTIBAND; /* refined below */
    if (h->tiled) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        if (tw == 0 || th == 0) return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: tiled image without a tile size");
        h->tile_width = tw;
        h->tile_height = th;
        h->natural_rows = th;
    } else {
        uint32_t rows_per_strip = height;
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
        if (rows_per_strip == 0 || rows_per_strip > height) rows_per_strip = height;
        h->natural_rows = rows_per_strip;
    }

    if (format != SAMPLEFORMAT_UINT && format != SAMPLEFORMAT_VOID)
        return unsupported(st, "TIFF: %s samples are not supported (only 8- and 16-bit unsigned integers); "
                        "convert with gdal_translate -ot UInt16 -scale",
                        sample_format_name(format));
    if (bits != 8 && bits != 16)
        return unsupported(st, "TIFF: %u-bit samples are not supported (only 8 and 16 bits)", bits);
    if (samples < 1 || samples > 16)
        return unsupported(st, "TIFF: %u bands are not supported (1 to 16)", samples);
    if (!TIFFIsCODECConfigured(compression)) {
        const TIFFCodec *codec = TIFFFindCODEC(compression);
        return unsupported(st, "TIFF: compression %s (%u) is not available in this libtiff",
                        codec ? codec->name : "unknown", compression);
    }
    h->sample_bytes = bits / 8;

    switch (photometric) {
    case PHOTOMETRIC_MINISWHITE:
        st->invert = 1;
        /* fall through */
    case PHOTOMETRIC_MINISBLACK:
        h->color = samples == 1 ? CVY_COLOR_GRAY : samples == 2 ? CVY_COLOR_GRAY_ALPHA : CVY_COLOR_MULTIBAND;
        if (st->invert && samples != 1)
            return unsupported(st, "TIFF: MinIsWhite with %u bands is not supported", samples);
        break;
    case PHOTOMETRIC_RGB: {
        if (samples < 3)
            return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: RGB image with %u bands", samples);
        uint16_t extra_count = 0;
        uint16_t *extra = NULL;
        TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
        int alpha = samples == 4 && extra_count >= 1 && extra &&
                    (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA);
        h->color = samples == 3 ? CVY_COLOR_RGB : alpha ? CVY_COLOR_RGBA : CVY_COLOR_MULTIBAND;
        break;
    }
    case PHOTOMETRIC_PALETTE:
        if (samples != 1 || bits != 8)
            return unsupported(st, "TIFF: only 8-bit single-band palette images are supported");
        if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &st->map[0], &st->map[1], &st->map[2]))
            return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: palette image without a colour map");
        st->palette = 1;
        h->color = CVY_COLOR_PALETTE;
        h->bands = 3;
        break;
    case PHOTOMETRIC_YCBCR:
        if (compression != COMPRESSION_JPEG || samples != 3 || bits != 8)
            return unsupported(st, "TIFF: YCbCr is supported only with JPEG compression and 3 8-bit bands");
        h->color = CVY_COLOR_YCBCR;
        break;
    default:
        return unsupported(st, "TIFF: photometric interpretation %u is not supported (gray, RGB, palette, YCbCr)",
                        photometric);
    }

    configure_handle(st);
    return CVY_OK;
}

/* Settings a handle needs to decode as planned (every thread's handle gets them). */
static void configure_handle(tiff_state *st) {
    if (st->photometric == PHOTOMETRIC_YCBCR) TIFFSetField(st->tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
}

/* Allocates what the reading plan needs, each buffer checked against the limit. */
static cvy_status plan_buffers(tiff_state *st) {
    cvy_decoder *dec = st->dec;
    const cvy_header *h = &dec->header;
    uint64_t file_row_bytes = (uint64_t)h->width * st->samples * h->sample_bytes;
    if (file_row_bytes > SIZE_MAX || !cvy_check_buffer(dec, file_row_bytes, "a row")) return dec->failure;
    st->file_row_bytes = (size_t)file_row_bytes;
    if (TIFFScanlineSize64(st->tif) > file_row_bytes && !h->tiled && !h->planar_separate)
        return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: scanline larger than the image row");
    if (!h->tiled && !h->planar_separate) {
        /* contiguous strips: libtiff decodes scanline by scanline */
        st->raw_row = malloc((size_t)(TIFFScanlineSize64(st->tif) > file_row_bytes ? TIFFScanlineSize64(st->tif)
                                                                                      : file_row_bytes));
        if (!st->raw_row) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
        return CVY_OK;
    }
    uint64_t piece = h->tiled ? (uint64_t)TIFFTileSize64(st->tif) : (uint64_t)TIFFStripSize64(st->tif);
    uint64_t band = file_row_bytes * h->natural_rows;
    if (piece == 0) return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: zero-sized %s", h->tiled ? "tile" : "strip");
    if (!cvy_check_buffer(dec, piece, h->tiled ? "one tile" : "one strip")) return dec->failure;
    if (!cvy_check_buffer(dec, band, h->tiled ? "one row of tiles" : "one strip of all bands")) return dec->failure;
    st->piece_size = (tmsize_t)piece;
    st->piece = malloc((size_t)piece);
    st->band = malloc((size_t)band);
    st->band_capacity = h->natural_rows;
    if (!st->piece || !st->band) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    return CVY_OK;
}

/* An image held in memory, read through libtiff's client procedures. */
typedef struct tiff_memory {
    const uint8_t *data;
    uint64_t size;
    uint64_t position;
} tiff_memory;

static tmsize_t memory_read(thandle_t handle, void *buffer, tmsize_t size) {
    tiff_memory *m = (tiff_memory *)handle;
    if (size <= 0 || m->position >= m->size) return 0;
    uint64_t n = m->size - m->position < (uint64_t)size ? m->size - m->position : (uint64_t)size;
    memcpy(buffer, m->data + m->position, (size_t)n);
    m->position += n;
    return (tmsize_t)n;
}

static tmsize_t memory_write(thandle_t handle, void *buffer, tmsize_t size) {
    (void)handle;
    (void)buffer;
    (void)size;
    return -1; /* read-only */
}

static toff_t memory_seek(thandle_t handle, toff_t offset, int whence) {
    tiff_memory *m = (tiff_memory *)handle;
    uint64_t base = whence == SEEK_CUR ? m->position : whence == SEEK_END ? m->size : 0;
    if (offset > UINT64_MAX - base) return (toff_t)-1;
    m->position = base + offset; /* past the end is allowed, as for files; reads there return 0 */
    return m->position;
}

static int memory_close(thandle_t handle) {
    (void)handle;
    return 0;
}

static toff_t memory_size(thandle_t handle) { return ((tiff_memory *)handle)->size; }

/* A libtiff handle on `path`, or on `memory` when it is not NULL, whose errors and warnings go to
   st->dec; NULL on failure. */
static TIFF *open_handle(tiff_state *st, const char *path, struct tiff_memory *memory) {
    cvy_decoder *dec = st->dec;
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) {
        st->handle_options_failed = 1;
        return NULL;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_tiff_error, st);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_tiff_warning, st);
    tmsize_t max_alloc = dec->limits.max_buffer_bytes > (uint64_t)INT64_MAX ? INT64_MAX
                                                                            : (tmsize_t)dec->limits.max_buffer_bytes;
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, max_alloc);
    TIFF *tif;
    if (memory)
        tif = TIFFClientOpenExt("memory", "rm", (thandle_t)memory, memory_read, memory_write, memory_seek,
                                memory_close, memory_size, NULL, NULL, options);
    else
        tif = TIFFOpenExt(path, "rm", options); /* "m": no memory map, so a file cut short while
                                                   being read cannot raise SIGBUS */
    TIFFOpenOptionsFree(options);
    return tif;
}

/* Opens the TIFF from `path`, or from `memory` when it is not NULL, and reads its header. */
static cvy_status tiff_open_source(cvy_decoder *dec, const char *path, tiff_memory *memory) {
    pthread_once(&tiff_setup_once, tiff_setup);
    tiff_state *st = calloc(1, sizeof *st);
    if (!st) {
        free(memory);
        return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    }
    st->dec = dec;
    st->memory = memory;
    dec->state = st;
    dec->ops = &tiff_ops; /* from here on tiff_close releases everything */

    /* a file is reopened by each extra decoding thread; an image in memory is decoded by one */
    if (path) {
        st->path = strdup(path);
        if (!st->path) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    }
    st->tif = open_handle(st, path, memory);
    if (st->handle_options_failed) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    if (!st->tif) return cvy_fail(dec, CVY_E_CORRUPT, "TIFF: cannot read the file's header");
    if (dec->failure != CVY_OK) return dec->failure;
    cvy_status status = describe(st);
    if (status == CVY_E_UNSUPPORTED && dec->header.unsupported && dec->failure == CVY_OK) return CVY_OK;
    if (status != CVY_OK) return status;
    if (!cvy_check_dimensions(dec)) return dec->failure;
    return plan_buffers(st);
}

cvy_status cvy_tiff_open(cvy_decoder *dec, const char *path) { return tiff_open_source(dec, path, NULL); }

cvy_status cvy_tiff_open_memory(cvy_decoder *dec, const uint8_t *data, size_t size) {
    tiff_memory *memory = calloc(1, sizeof *memory);
    if (!memory) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    memory->data = data;
    memory->size = size;
    return tiff_open_source(dec, NULL, memory);
}

int cvy_tiff_get_doubles(cvy_decoder *dec, uint32_t tag, const double **values, uint32_t *count) {
    tiff_state *st = dec->state;
    uint16_t n = 0;
    double *data = NULL;
    if (!st || !st->tif || !TIFFGetField(st->tif, tag, &n, &data) || !data) return 0;
    *values = data;
    *count = n;
    return 1;
}

int cvy_tiff_get_shorts(cvy_decoder *dec, uint32_t tag, const uint16_t **values, uint32_t *count) {
    tiff_state *st = dec->state;
    uint16_t n = 0;
    uint16_t *data = NULL;
    if (!st || !st->tif || !TIFFGetField(st->tif, tag, &n, &data) || !data) return 0;
    *values = data;
    *count = n;
    return 1;
}

int cvy_tiff_get_ascii(cvy_decoder *dec, uint32_t tag, const char **value) {
    tiff_state *st = dec->state;
    char *text = NULL;
    if (!st || !st->tif || !TIFFGetField(st->tif, tag, &text) || !text) return 0;
    *value = text;
    return 1;
}
