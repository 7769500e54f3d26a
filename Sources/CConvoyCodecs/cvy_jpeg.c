/*
 * cvy_jpeg.c: JPEG decoding through libjpeg-turbo.
 *
 * Delivered pixels: grayscale as 1 band; YCbCr and RGB as RGB; CMYK and YCCK converted to
 * RGB. CMYK samples are taken as Adobe stores them, inverted (255 = no ink), whether or not
 * the file has an Adobe marker: Photoshop writes nearly all CMYK JPEGs, and GDAL reads them
 * the same way, so convoy and gdalinfo see the same colours. libjpeg only warns about a truncated or corrupt
 * entropy-coded stream and pads the image with grey, so its warnings are sorted here: the
 * end of data (JWRN_JPEG_EOF) and corrupt-data warnings are errors; the rest are counted.
 */
#include "cvy_internal.h"

#include <jpeglib.h>
#include <jerror.h>
#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct jpeg_state {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr err;
    jmp_buf jump;
    cvy_decoder *dec;
    FILE *file;
    int created;
    int started;
    int cmyk;          /* output is CMYK, converted to RGB here */
    uint8_t *cmyk_row;
    int bad_data;      /* a warning that means the pixels are wrong */
    cvy_status bad_status;
    char bad_message[JMSG_LENGTH_MAX];
} jpeg_state;

static cvy_status classify_error(int code) {
    switch (code) {
    case JERR_OUT_OF_MEMORY:
    case JERR_NO_BACKING_STORE:
    case JERR_IMAGE_TOO_BIG:
    case JERR_WIDTH_OVERFLOW:
        return CVY_E_LIMIT;
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
        return CVY_E_UNSUPPORTED;
    default:
        return CVY_E_CORRUPT;
    }
}

static void on_jpeg_error_exit(j_common_ptr cinfo) {
    jpeg_state *st = cinfo->client_data;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    cvy_status status = st->bad_data ? st->bad_status : classify_error(cinfo->err->msg_code);
    if (st->bad_data)
        cvy_fail(st->dec, status, "JPEG: %s", st->bad_message);
    else if (cinfo->err->msg_code == JERR_NO_BACKING_STORE || cinfo->err->msg_code == JERR_OUT_OF_MEMORY)
        cvy_fail(st->dec, status,
                 "JPEG: decoding needs more memory than the buffer limit of %llu bytes (a progressive "
                 "JPEG is decoded whole)",
                 (unsigned long long)st->dec->limits.max_buffer_bytes);
    else
        cvy_fail(st->dec, status, "JPEG: %s", text);
    longjmp(st->jump, 1);
}

static void on_jpeg_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return; /* trace messages */
    jpeg_state *st = cinfo->client_data;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    cinfo->err->num_warnings++;
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF:
        if (!st->bad_data) {
            st->bad_data = 1;
            st->bad_status = CVY_E_TRUNCATED;
            snprintf(st->bad_message, sizeof st->bad_message, "premature end of data (truncated file)");
        }
        break;
    case JWRN_HIT_MARKER:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
        if (!st->bad_data) {
            st->bad_data = 1;
            st->bad_status = CVY_E_CORRUPT;
            snprintf(st->bad_message, sizeof st->bad_message, "%s", text);
        }
        break;
    default: {
        char note[JMSG_LENGTH_MAX + 8];
        snprintf(note, sizeof note, "JPEG: %s", text);
        cvy_note_warning(st->dec, note);
    }
    }
}

static void on_jpeg_output(j_common_ptr cinfo) {
    (void)cinfo; /* libjpeg must never print */
}

/* A warning that spoils the pixels becomes the decoder's failure. */
static cvy_status check_bad_data(jpeg_state *st) {
    if (!st->bad_data) return CVY_OK;
    return cvy_fail(st->dec, st->bad_status, "JPEG: %s", st->bad_message);
}

/* Inverted CMYK to RGB: red = (1 - cyan ink) (1 - black ink) = c * k / 255. Truncating, as GDAL. */
static void cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width) {
    for (uint32_t x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        rgb[3 * x] = (uint8_t)(c * k / 255);
        rgb[3 * x + 1] = (uint8_t)(m * k / 255);
        rgb[3 * x + 2] = (uint8_t)(y * k / 255);
    }
}

static cvy_status jpegdec_read_rows(cvy_decoder *dec, uint8_t *dst, uint32_t rows) {
    jpeg_state *st = dec->state;
    size_t row_bytes = cvy_row_bytes(&dec->header);
    if (setjmp(st->jump)) return dec->failure;
    if (!st->started) {
        /* a progressive file is consumed whole here, into coefficient buffers that
           max_memory_to_use bounds */
        jpeg_start_decompress(&st->cinfo);
        st->started = 1;
        if (check_bad_data(st) != CVY_OK) return dec->failure;
        if (st->cinfo.output_width != dec->header.width || st->cinfo.output_height != dec->header.height)
            return cvy_fail(dec, CVY_E_CORRUPT, "JPEG: output size differs from the header");
        if (st->cmyk) {
            st->cmyk_row = malloc((size_t)dec->header.width * 4);
            if (!st->cmyk_row) return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
        }
    }
    for (volatile uint32_t y = 0; y < rows; y++) {
        uint8_t *out = dst + (size_t)y * row_bytes;
        JSAMPROW row = st->cmyk ? st->cmyk_row : out;
        if (jpeg_read_scanlines(&st->cinfo, &row, 1) != 1)
            return cvy_fail(dec, CVY_E_CORRUPT, "JPEG: the decoder returned no row");
        if (check_bad_data(st) != CVY_OK) return dec->failure;
        if (st->cmyk) cmyk_to_rgb(st->cmyk_row, out, dec->header.width);
    }
    return CVY_OK;
}

static cvy_status jpegdec_finish(cvy_decoder *dec) {
    jpeg_state *st = dec->state;
    if (setjmp(st->jump)) return dec->failure;
    jpeg_finish_decompress(&st->cinfo); /* reads on to the end-of-image marker */
    return check_bad_data(st);
}

static void jpegdec_close(cvy_decoder *dec) {
    jpeg_state *st = dec->state;
    if (!st) return;
    if (st->created) jpeg_destroy_decompress(&st->cinfo);
    if (st->file) fclose(st->file);
    free(st->cmyk_row);
    free(st);
    dec->state = NULL;
}

static const cvy_codec_ops jpeg_ops = {jpegdec_read_rows, jpegdec_finish, jpegdec_close};

cvy_status cvy_jpeg_open(cvy_decoder *dec, FILE *file) {
    jpeg_state *st = calloc(1, sizeof *st);
    if (!st) {
        fclose(file);
        return cvy_fail(dec, CVY_E_NOMEM, "out of memory");
    }
    st->dec = dec;
    st->file = file;
    dec->state = st;
    dec->ops = &jpeg_ops; /* from here on jpegdec_close releases everything */

    st->cinfo.err = jpeg_std_error(&st->err);
    st->err.error_exit = on_jpeg_error_exit;
    st->err.emit_message = on_jpeg_message;
    st->err.output_message = on_jpeg_output;
    if (setjmp(st->jump)) return dec->failure;
    jpeg_create_decompress(&st->cinfo);
    st->created = 1;
    st->cinfo.client_data = st;
    st->cinfo.mem->max_memory_to_use = (long)(dec->limits.max_buffer_bytes > (uint64_t)LONG_MAX
                                                  ? LONG_MAX
                                                  : dec->limits.max_buffer_bytes);
    jpeg_stdio_src(&st->cinfo, file);
    if (jpeg_read_header(&st->cinfo, TRUE) != JPEG_HEADER_OK)
        return cvy_fail(dec, CVY_E_CORRUPT, "JPEG: no image in the file");
    if (check_bad_data(st) != CVY_OK) return dec->failure;

    cvy_header *h = &dec->header;
    h->width = st->cinfo.image_width;
    h->height = st->cinfo.image_height;
    h->file_bands = (uint32_t)st->cinfo.num_components;
    h->bit_depth = (uint32_t)st->cinfo.data_precision;
    h->sample_bytes = 1;
    h->interlaced = st->cinfo.progressive_mode ? 1 : 0;
    h->arithmetic = st->cinfo.arith_code ? 1 : 0;
    h->natural_rows = (uint32_t)st->cinfo.max_v_samp_factor * DCTSIZE;
    switch (st->cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
        st->cinfo.out_color_space = JCS_GRAYSCALE;
        h->color = CVY_COLOR_GRAY;
        h->bands = 1;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        st->cinfo.out_color_space = JCS_RGB;
        h->color = st->cinfo.jpeg_color_space == JCS_RGB ? CVY_COLOR_RGB : CVY_COLOR_YCBCR;
        h->bands = 3;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        st->cinfo.out_color_space = JCS_CMYK;
        st->cmyk = 1;
        h->color = CVY_COLOR_CMYK;
        h->bands = 3;
        break;
    default:
        return cvy_fail(dec, CVY_E_UNSUPPORTED, "JPEG: unsupported colour space with %d components",
                        st->cinfo.num_components);
    }
    return CVY_OK;
}
