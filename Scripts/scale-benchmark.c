/*
 * scale-benchmark.c: the helper of Scripts/scale-benchmark.sh (not part of convoy).
 *
 *   scale-benchmark ppm  W H          a deterministic scene as binary PPM on stdout (for cjpeg)
 *   scale-benchmark png  W H OUT      the same scene as an RGB PNG (zlib level 1)
 *   scale-benchmark tiff W H OUT      the same scene as a tiled RGB TIFF (512 x 512, deflate)
 *   scale-benchmark decode FILE       decode-only reference loop for PNG and tiled TIFF: every
 *                                     row (PNG) or tile (TIFF) decoded and discarded
 *
 * The scene, at 0.5 m per pixel: textured fields with noise, a grid of 8 m roads every ~1 km,
 * columns of dark 7 x 3 m vehicles on some road segments, scattered tree crowns, so that
 * detection does real work. Every pixel is a function of (x, y) only.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

static uint32_t hash(uint32_t x, uint32_t y) {
    uint32_t h = x * 0x9E3779B1u ^ (y + 0x7F4A7C15u) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    return h;
}

static void scene_row(uint32_t y, uint32_t w, uint8_t *rgb) {
    const uint32_t grid = 2000, road = 16;
    uint32_t ry = y % grid;
    int on_hroad = ry >= 1000 && ry < 1000 + road;
    int hcolumn = (y / grid + 1) % 3 != 0; /* some horizontal roads carry a column */
    uint32_t cell_y = y / 64;
    for (uint32_t x = 0; x < w; x++) {
        uint32_t rx = x % grid;
        uint32_t n = hash(x, y);
        int v = 110 + (int)((hash(x / 16, y / 16) >> 28) * 2) + (int)(n & 15) - 8; /* field patches + noise */
        /* tree crowns: a disc of radius 7 px in one 64 x 64 cell out of 8 */
        uint32_t cell_x = x / 64, ch = hash(cell_x + 17, cell_y + 91);
        if ((ch & 7) == 0) {
            int cx = (int)(cell_x * 64 + 16 + ((ch >> 8) & 31)), cy = (int)(cell_y * 64 + 16 + ((ch >> 16) & 31));
            int dx = (int)x - cx, dy = (int)y - cy;
            if (dx * dx + dy * dy <= 49) v = 55 + (int)(n >> 28);
        }
        int on_vroad = rx >= 1000 && rx < 1000 + road;
        if (on_hroad || on_vroad) v = 150 + (int)(n & 7) - 4;
        /* vehicles, 14 x 6 px, every 50 px along the roads that carry columns */
        if (on_hroad && hcolumn && ry >= 1005 && ry < 1011 && (x % 50) < 14 && (x / 6000) % 2 == 0) v = 60;
        if (on_vroad && (x / grid) % 3 == 1 && rx >= 1005 && rx < 1011 && (y % 50) < 14 && (y / 6000) % 2 == 1) v = 60;
        int r = v - 6, g = v + 4, b = v - 12;
        rgb[3 * x] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
        rgb[3 * x + 1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
        rgb[3 * x + 2] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b);
    }
}

static int write_ppm(uint32_t w, uint32_t h) {
    uint8_t *row = malloc((size_t)w * 3);
    printf("P6\n%u %u\n255\n", w, h);
    for (uint32_t y = 0; y < h; y++) {
        scene_row(y, w, row);
        if (fwrite(row, 3, w, stdout) != w) return 1;
    }
    free(row);
    return fflush(stdout) != 0;
}

static int write_png(uint32_t w, uint32_t h, const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) return 1;
    png_init_io(png, f);
    png_set_compression_level(png, 1);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    uint8_t *row = malloc((size_t)w * 3);
    for (uint32_t y = 0; y < h; y++) {
        scene_row(y, w, row);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(f) != 0;
}

static int write_tiff(uint32_t w, uint32_t h, const char *path) {
    const uint32_t t = 512;
    TIFF *tif = TIFFOpen(path, (uint64_t)w * h * 3 > 3500000000ull ? "w8" : "w");
    if (!tif) return 1;
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(tif, TIFFTAG_ZIPQUALITY, 1);
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, t);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, t);
    size_t stride = (size_t)w * 3;
    uint8_t *rows = malloc(stride * t), *tile = malloc((size_t)t * t * 3);
    for (uint32_t y0 = 0; y0 < h; y0 += t) {
        uint32_t n = h - y0 < t ? h - y0 : t;
        for (uint32_t k = 0; k < n; k++) scene_row(y0 + k, w, rows + k * stride);
        for (uint32_t x0 = 0; x0 < w; x0 += t) {
            memset(tile, 0, (size_t)t * t * 3);
            uint32_t m = w - x0 < t ? w - x0 : t;
            for (uint32_t k = 0; k < n; k++) memcpy(tile + (size_t)k * t * 3, rows + k * stride + (size_t)x0 * 3, (size_t)m * 3);
            if (TIFFWriteTile(tif, tile, x0, y0, 0, 0) < 0) return 1;
        }
    }
    free(rows);
    free(tile);
    TIFFClose(tif);
    return 0;
}

static int decode_png(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 1;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) return 1;
    png_init_io(png, f);
    png_read_info(png, info);
    uint8_t *row = malloc(png_get_rowbytes(png, info));
    for (uint32_t y = 0; y < png_get_image_height(png, info); y++) png_read_row(png, row, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    fclose(f);
    return 0;
}

static int decode_tiff(const char *path) {
    TIFF *tif = TIFFOpen(path, "r");
    if (!tif) return 1;
    uint8_t *tile = malloc(TIFFTileSize(tif));
    for (uint32_t k = 0; k < TIFFNumberOfTiles(tif); k++)
        if (TIFFReadEncodedTile(tif, k, tile, (tmsize_t)-1) < 0) return 1;
    free(tile);
    TIFFClose(tif);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "ppm") == 0) return write_ppm((uint32_t)atol(argv[2]), (uint32_t)atol(argv[3]));
    if (argc >= 5 && strcmp(argv[1], "png") == 0) return write_png((uint32_t)atol(argv[2]), (uint32_t)atol(argv[3]), argv[4]);
    if (argc >= 5 && strcmp(argv[1], "tiff") == 0) return write_tiff((uint32_t)atol(argv[2]), (uint32_t)atol(argv[3]), argv[4]);
    if (argc >= 3 && strcmp(argv[1], "decode") == 0) {
        size_t n = strlen(argv[2]);
        return n > 4 && strcmp(argv[2] + n - 4, ".png") == 0 ? decode_png(argv[2]) : decode_tiff(argv[2]);
    }
    fprintf(stderr, "usage: scale-benchmark ppm W H | png W H OUT | tiff W H OUT | decode FILE\n");
    return 2;
}
