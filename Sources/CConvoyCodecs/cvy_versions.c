/*
 * cvy_versions.c: the versions of the codec libraries actually linked.
 */
#include "cvy_internal.h"

#include <jpeglib.h>
#include <png.h>
#include <string.h>
#include <pthread.h>
#include <tiffio.h>

static char versions[256];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void make_versions(void) {
    const char *tiff = TIFFGetVersion(); /* "LIBTIFF, Version 4.5.0\n..." */
    const char *v = strstr(tiff, "Version ");
    char tiff_version[32] = "?";
    if (v) sscanf(v + 8, "%31[0-9.]", tiff_version);
    snprintf(versions, sizeof versions, "libpng %s, libjpeg-turbo (libjpeg API %d), libtiff %s",
             png_get_libpng_ver(NULL), JPEG_LIB_VERSION, tiff_version);
}

const char *cvy_codec_versions(void) {
    pthread_once(&versions_once, make_versions);
    return versions;
}
