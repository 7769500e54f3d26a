// Why this exists: PROJ is a system C library. This header lets Swift import PROJ's CRS API
// (proj.h), the CRS-construction half of it (proj_experimental.h: used only to build a CRS from
// user-defined GeoTIFF keys) and Karney's geodesic routines (geodesic.h) as the module CProj.
// PROJ reports failures through return values and proj_context_errno, so no C wrapper code is
// needed around it. Only Sources/ConvoyGeo/PROJ.swift imports this module.
#include <proj.h>
#include <proj_experimental.h>
#include <geodesic.h>
