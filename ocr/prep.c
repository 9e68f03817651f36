/*
 * prep.c: crop, orientation, deskew and background normalisation with
 * Leptonica. Every decision is made on a small copy (a thumbnail for the
 * crop, the working image for the rest), so the time per receipt stays
 * bounded on 12-megapixel phone photos.
 */
#include <math.h>
#include <string.h>

#include "bars.h"
#include "dots.h"
#include "image.h"
#include "paper.h"
#include "prep.h"
#include "banned.h"

/* The crop is found on a thumbnail this long: the paper is big. */
#define THUMB_SIDE 320
/* Paper must be this much brighter than what surrounds it ... */
#define CROP_MIN_CONTRAST 35.0f
/* ... cover at least this share of the picture, and leave out at least
 * the rest (otherwise there is no background worth cutting). */
#define CROP_MIN_AREA 0.08f
#define CROP_MAX_AREA 0.85f
/* Two grey levels this far apart on the bright side are paper and a
 * lighter background (cardboard, a desk), not one sheet in uneven light. */
#define PAPER_MIN_GAP 40.0f
/* ... unless the region above the lower split is at most this much
 * larger: then it is the same sheet, part of it in shade. */
#define CROP_SHADED 1.5f
/* Grey-level gradient (Leptonica's Sobel) that is a sheet's border at
 * thumbnail size; a shade's soft edge stays well under it. */
#define GROW_EDGE 16
/* A gradient this strong, closed all round, outlines a sheet; the sheet
 * fills at least SHEET_MIN_FILL of its box. */
#define SHEET_EDGE 8
#define SHEET_MIN_FILL 0.8f
/* Share of the picture's sharp edges (print, mostly) that must lie inside
 * an outlined sheet: a box or a block of print on a sheet that fills the
 * picture leaves most of the print outside. */
#define SHEET_MIN_INK 0.9f
/* An outlined sheet replaces the bright region found by grey level when
 * that region leaves more than this much of the sheet outside (a lit
 * band of table and paper across a shaded receipt). */
#define SHEET_COVERED 0.97f
/* Gaps in an outline closed before it is filled, in thumbnail pixels;
 * wider ones when no outline closes otherwise. A bright region with less
 * than SHEET_SPILL of it inside an outline so found spills over it. */
#define SHEET_GAP 3
#define SHEET_WIDE_GAP 5
#define SHEET_SPILL 0.9f
/* Bright regions at least 1 / PAPER_PART of the largest count as well.
 * Share of its bounding box a sheet of paper fills, tilted by up to ten
 * degrees and with a phone's perspective. */
#define PAPER_PART 5
#define PAPER_MIN_FILL 0.7f
/* Margin kept around the paper, per mille of its size. */
#define CROP_MARGIN 15
/* Orientation is judged on a copy no longer than this. A picture whose
 * long side is ORIENT_SHAPE / 10 times its short side has the shape of a
 * receipt; then ORIENT_MIN_CONF is confidence enough. */
#define ORIENT_SIDE 1600
#define ORIENT_SHAPE 16
#define ORIENT_MIN_CONF 4.0f
/* Lines tilted by more than this are levelled before the check. */
#define ORIENT_MIN_SKEW 2.0f
/* Skew search range, degrees either way: phone photos are held crooked. */
#define SKEW_RANGE 12.0f
/* Tesseract follows lines up to a few degrees off level by itself, and
 * reads them better than after our resampling; beyond that it loses them.
 * The turn samples pixels instead of interpolating them: crisp strokes
 * read better (more items found on the benchmark) than smoothed ones. */
#define DESKEW_MIN_ANGLE 3.0f
#define ROTATE_TYPE L_ROTATE_SAMPLING
/* A sheet whose four corners show against the table, tilted or in
 * perspective by DESKEW_MIN_ANGLE or more, is mapped onto an upright
 * rectangle instead of turned: its lines then run level from top to
 * bottom, where a turn levels only those at one height (an amount read
 * on the line above its label). The table is what lies flat (Sobel under
 * SHEET_EDGE) and touches the picture's border, found on a copy FLAT_SIDE
 * long; the rest must cover FLAT_MIN_AREA of the picture and fill its
 * corners' quadrilateral to within FLAT_FIT, or it is not one sheet (a
 * textured table, a sheet that fills the picture) and is left alone. */
#define FLAT_SIDE 400
#define FLAT_MIN_AREA 0.5f
#define FLAT_FIT 0.03f
#define BRIGHT_SPAN 0.9f
/* Leptonica's own floor for a skew it would act on. */
#define SKEW_MIN_CONF 3.0f
/* Background tiles for the unevenness check, and the spread of their
 * brightness (grey levels) above which the light is called uneven. */
#define BG_TILES 6
#define BG_MAX_SPREAD 45
/* Tesseract misreads text far from a comfortable height (median height
 * of character-shaped blobs, pixels). Taller than TEXT_MAX_PX, as on a
 * receipt cropped out of a phone photo that fills the working width, it
 * read "16.01.2017" as "16.03 2017": such text is scaled down to
 * TEXT_DOWN_PX (by no less than half). Small print under TEXT_MIN_GOOD_PX
 * on narrow scans lost dates: it is enlarged to TEXT_UP_PX (at most twice,
 * to at most TEXT_MAX_WIDTHS working widths so that the time per receipt
 * stays bounded). Chosen on the benchmark: clean receipts read best left
 * alone up to about 30 px, small print best enlarged to about 22. */
#define TEXT_MAX_PX 38
#define TEXT_DOWN_PX 30
#define TEXT_MIN_GOOD_PX 17
#define TEXT_UP_PX 22
#define TEXT_MIN_PX 6
#define TEXT_MIN_BLOBS 20
#define TEXT_MIN_SCALE 0.5f
#define TEXT_MAX_UP 2.0f
#define TEXT_MAX_WIDTHS 2.0f
#define INK_RANK 0.02f
#define INK_MAX_LEVEL 90
/* Stretch only where paper and ink are still this far apart. */
#define INK_MIN_SPAN 20
/* A page whose light was evened is stretched too. There, and on faint
 * heavy print (strokes at least HEAVY_STROKE per mille of the text's
 * height), the mid-tones are darkened as well (Leptonica's gamma: grey
 * levels raised to 1 / DARKEN_GAMMA): worn and broken strokes, blurred
 * on a shaded photo, then pass Tesseract's threshold. Totals and dates:
 * 40 harsh photos 15/19 -> 20/24; 47 faded photos 21/31 -> 30/35. On
 * faint fine print (real receipts, strokes a tenth of the text) the same
 * curve runs strokes together and cost dates. */
#define DARKEN_GAMMA 0.4f
#define HEAVY_STROKE 175
#define STROKE_MAX_RUN 64

static const struct {
	const char *name;
	unsigned step;
} step_names[] = {
	/* clang-format off */
	{ "crop", OCR_PREP_CROP },
	{ "orient", OCR_PREP_ORIENT },
	{ "deskew", OCR_PREP_DESKEW },
	{ "bgnorm", OCR_PREP_BGNORM },
	{ "ink", OCR_PREP_INK },
	{ "scale", OCR_PREP_SCALE },
	{ "dots", OCR_PREP_DOTS },
	{ "bars", OCR_PREP_BARS },
	{ "all", OCR_PREP_ALL },
	{ "none", 0 },
	/* clang-format on */
};

int ocr_prep_parse(const char *list, unsigned *steps)
{
	unsigned acc = 0;

	while (*list) {
		size_t n = strcspn(list, ",");
		size_t i;

		for (i = 0; i < sizeof(step_names) / sizeof(step_names[0]); i++)
			if (strlen(step_names[i].name) == n &&
			    !strncmp(step_names[i].name, list, n))
				break;
		if (i == sizeof(step_names) / sizeof(step_names[0]))
			return -1;
		acc |= step_names[i].step;
		list += n + (list[n] == ',');
	}
	*steps = acc;
	return 0;
}

/* Otsu's split of the grey histogram above level from: the ink/paper or
 * paper/table threshold. *gap (may be NULL) is the distance between the
 * two classes' mean levels. */
static int otsu_above(PIX *grey, int from, float *gap)
{
	NUMA *hist = pixGetGrayHistogram(grey, 2);
	l_int32 split = 128;
	l_float32 lo = 0.0f, hi = 0.0f;

	for (int i = 0; hist && i < from; i++)
		numaSetValue(hist, i, 0.0f);
	if (hist)
		numaSplitDistribution(hist, 0.0f, &split, &lo, &hi, NULL, NULL,
				      NULL);
	numaDestroy(&hist);
	if (gap)
		*gap = hi - lo;
	return split;
}

static int otsu(PIX *grey)
{
	return otsu_above(grey, 0, NULL);
}

static PIX *scale_to_side(PIX *pix, int side, float *f)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	int big = w > h ? w : h;

	*f = big > side ? (float)side / (float)big : 1.0f;
	return *f < 1.0f ? pixScaleAreaMap(pix, *f, *f) : pixClone(pix);
}

static float mean_in(PIX *grey, BOX *box)
{
	PIX *part = box ? pixClipRectangle(grey, box, NULL) : pixClone(grey);
	l_float32 v = 0.0f;

	if (part)
		pixGetAverageMasked(part, NULL, 0, 0, 1, L_MEAN_ABSVAL, &v);
	pixDestroy(&part);
	return v;
}

static float box_area(BOX *b)
{
	l_int32 x, y, w, h;

	boxGetGeometry(b, &x, &y, &w, &h);
	return (float)w * (float)h;
}

/* Foreground pixels of the binary bin inside box (NULL: all of it). */
static l_int32 count_in(PIX *bin, BOX *box)
{
	PIX *part = box ? pixClipRectangle(bin, box, NULL) : pixClone(bin);
	l_int32 n = 0;

	if (part)
		pixCountPixels(part, &n, NULL);
	pixDestroy(&part);
	return n;
}

/* A copy of the largest box of boxa (may be NULL), or NULL. */
static BOX *largest_box(BOXA *boxa)
{
	BOX *best = NULL;
	float area = 0.0f;

	for (int i = 0; boxa && i < boxaGetCount(boxa); i++) {
		BOX *b = boxaGetBox(boxa, i, L_CLONE);

		if (box_area(b) > area) {
			area = box_area(b);
			boxDestroy(&best);
			best = boxCopy(b);
		}
		boxDestroy(&b);
	}
	return best;
}

/* The box around the large regions of the thumbnail brighter than thresh
 * (closed over the print so that text does not cut the paper into
 * pieces). Returns it when it covers a plausible share, is mostly filled
 * (a sheet, even a tilted one, is; paper cut into lit pieces by a hard
 * shadow is not, and cropping to one piece would lose lines) and is
 * clearly brighter than the rest; else NULL. With lit, *lit gets the box
 * around the regions however little of it they fill (the caller's to
 * destroy), for grow_paper to start from. */
static BOX *bright_region(PIX *thumb, int thresh, BOX **lit)
{
	PIX *bright = pixThresholdToBinary(thumb, thresh);
	BOXA *boxa = NULL;
	BOX *best = NULL;
	l_int32 fill = 0;
	float area = 0.0f, in, all, outside;

	if (!bright)
		return NULL;
	pixInvert(bright, bright); /* the threshold marks the dark side */
	pixOpenBrick(bright, bright, 3, 3);
	pixCloseBrick(bright, bright, 7, 7);
	boxa = pixConnCompBB(bright, 8);
	best = largest_box(boxa);
	if (best)
		area = box_area(best);
	for (int i = 0; best && i < boxaGetCount(boxa); i++) {
		BOX *b = boxaGetBox(boxa, i, L_CLONE),
		    *u = box_area(b) * PAPER_PART >= area
				 ? boxBoundingRegion(best, b)
				 : NULL;

		if (u) {
			boxDestroy(&best);
			best = u;
		}
		boxDestroy(&b);
	}
	if (best) {
		area = box_area(best);
		fill = count_in(bright, best);
	}
	if (lit && best)
		*lit = boxCopy(best);
	if ((float)fill < PAPER_MIN_FILL * area)
		boxDestroy(&best);
	boxaDestroy(&boxa);
	pixDestroy(&bright);
	area /= (float)pixGetWidth(thumb) * (float)pixGetHeight(thumb);
	if (!best || area < CROP_MIN_AREA || area > CROP_MAX_AREA) {
		boxDestroy(&best);
		return NULL;
	}
	in = mean_in(thumb, best);
	all = mean_in(thumb, NULL);
	outside = (all - in * area) / (1.0f - area);
	if (in - outside < CROP_MIN_CONTRAST)
		boxDestroy(&best);
	return best;
}

/*
 * A shadow that falls across the receipt leaves only its lit part above
 * the paper threshold. The shade's edge is soft, the paper's edge a sharp
 * step (both sides of it lie in the same light): so the sheet is the
 * region reached from its lit part without crossing a sharp edge. Returns
 * that region's box when it is a plausible sheet, else NULL.
 */
static BOX *grow_paper(PIX *thumb, PIX *edge, BOX *lit, int thresh)
{
	PIX *flat = pixThresholdToBinary(edge, GROW_EDGE);
	PIX *seed = pixThresholdToBinary(thumb, thresh);
	BOXA *boxa = NULL;
	BOX *best = NULL;
	float total = (float)pixGetWidth(thumb) * (float)pixGetHeight(thumb);

	if (seed) {
		/* The lit paper: bright, flat, inside the box found. */
		PIX *outside = pixCreateTemplate(seed);

		pixInvert(seed, seed);
		if (outside) {
			pixSetAll(outside);
			pixClearInRect(outside, lit);
			pixSubtract(seed, seed, outside);
		}
		pixDestroy(&outside);
	}
	if (flat && seed) {
		pixAnd(seed, seed, flat);
		pixSeedfillBinary(seed, seed, flat, 4);
		pixCloseBrick(seed, seed, 7, 7);
		boxa = pixConnCompBB(seed, 8);
	}
	best = largest_box(boxa);
	if (best &&
	    (box_area(best) < CROP_MIN_AREA * total ||
	     box_area(best) > CROP_MAX_AREA * total ||
	     (float)count_in(seed, best) < PAPER_MIN_FILL * box_area(best)))
		boxDestroy(&best);
	boxaDestroy(&boxa);
	pixDestroy(&seed);
	pixDestroy(&flat);
	return best;
}

/*
 * A sheet lying on a table is outlined by a step in grey level all round
 * its edge, in light and in shade alike (paper and table share the light
 * at every point of the border); a shadow's edge is soft and a table's
 * surface has no closed outline the size of a sheet. So the sheet is the
 * largest region a closed outline of faint edges encloses, when it is
 * filled like a sheet and of a plausible size. edge is the thumbnail's
 * Sobel gradient; gaps in the outline up to gap - 1 pixels are closed.
 * Returns the box or NULL.
 */
static BOX *outlined_sheet(PIX *edge, int gap, float fill)
{
	PIX *line = pixThresholdToBinary(edge, SHEET_EDGE);
	PIX *sharp = pixThresholdToBinary(edge, GROW_EDGE);
	PIX *solid = NULL;
	BOXA *boxa = NULL;
	BOX *best = NULL;
	float area,
		total = (float)pixGetWidth(edge) * (float)pixGetHeight(edge);

	if (line && sharp) {
		/* The thresholds mark the flat side. */
		pixInvert(line, line);
		pixInvert(sharp, sharp);
		pixCloseBrick(line, line, gap, gap);
		solid = pixFillClosedBorders(line, 4);
	}
	if (solid) {
		/* Lines that leave the outline (a shade's edge, print) are
		 * thin; the sheet is not. */
		pixOpenBrick(solid, solid, 9, 9);
		boxa = pixConnCompBB(solid, 8);
	}
	best = largest_box(boxa);
	area = best ? box_area(best) : 0.0f;
	if (best &&
	    (area < CROP_MIN_AREA * total || area > CROP_MAX_AREA * total ||
	     (float)count_in(solid, best) < fill * area ||
	     (float)count_in(sharp, best) <
		     SHEET_MIN_INK * (float)count_in(sharp, NULL)))
		boxDestroy(&best);
	boxaDestroy(&boxa);
	pixDestroy(&solid);
	pixDestroy(&sharp);
	pixDestroy(&line);
	return best;
}

/*
 * The paper is the brightest large region of the picture. Otsu's split
 * separates it from a dark table; when the bright side itself falls into
 * two clear levels (white paper on grey cardboard), the paper is the
 * brighter of them. A shade over part of the sheet is then grown back
 * (grow_paper). Where light and shade cut across a light table, no grey
 * level holds the sheet: then its outline does (outlined_sheet). Returns
 * the box in grey's coordinates, or NULL.
 */
static BOX *find_paper(PIX *grey)
{
	float f, gap;
	PIX *thumb = scale_to_side(grey, THUMB_SIDE, &f), *edge = NULL;
	BOX *box = NULL, *wide = NULL, *grown = NULL, *sheet = NULL,
	    *lit = NULL, *out = NULL;
	l_float32 covered = 0.0f, inside = 0.0f;
	l_int32 bx, by, bw, bh;
	int t, upper, two;

	if (thumb)
		edge = pixSobelEdgeFilter(thumb, L_ALL_EDGES);
	if (!edge) {
		pixDestroy(&thumb);
		return NULL;
	}
	t = otsu(thumb);
	upper = otsu_above(thumb, t, &gap);
	two = upper > t && gap > PAPER_MIN_GAP;
	if (two) {
		box = bright_region(thumb, upper, &lit);
		wide = box ? bright_region(thumb, t, NULL) : NULL;
		/* The lower split, a little larger: the same sheet with its
		 * shaded part, not the cardboard around it. */
		if (wide && box_area(wide) <= CROP_SHADED * box_area(box)) {
			boxDestroy(&box);
			box = wide;
			wide = NULL;
		}
		boxDestroy(&wide);
	} else {
		box = bright_region(thumb, t, NULL);
	}
	/* A shade across the sheet cuts its lit paper into pieces no sheet
	 * fills: the sheet may still grow from them. */
	grown = box || lit ? grow_paper(thumb, edge, box ? box : lit,
					two ? upper : t)
			   : NULL;
	boxDestroy(&lit);
	if (grown && (!box || box_area(grown) > box_area(box))) {
		boxDestroy(&box);
		box = grown;
	} else {
		boxDestroy(&grown);
	}
	sheet = outlined_sheet(edge, SHEET_GAP, SHEET_MIN_FILL);
	/* An outline found only with wider gaps closed (the sheet's edge
	 * faint in shade) is trusted to cut a bright region that spills
	 * over it (lit paper and lit table joined by the light), never to
	 * widen the crop. */
	if (!sheet && box) {
		sheet = outlined_sheet(edge, SHEET_WIDE_GAP, SHEET_MIN_FILL);
		if (sheet)
			boxOverlapFraction(sheet, box, &inside);
		if (sheet && inside >= SHEET_SPILL)
			boxDestroy(&sheet);
	}
	/* With nothing else to cut to, a sheet tilted as far as phones
	 * hold it (ten degrees fills three quarters of its box) will do. */
	if (!sheet && !box)
		sheet = outlined_sheet(edge, SHEET_GAP, PAPER_MIN_FILL);
	if (sheet && box)
		boxOverlapFraction(box, sheet, &covered);
	if (sheet && covered < SHEET_COVERED) {
		boxDestroy(&box);
		box = sheet;
		sheet = NULL;
	}
	boxDestroy(&sheet);
	pixDestroy(&edge);
	pixDestroy(&thumb);
	if (!box)
		return NULL;
	boxGetGeometry(box, &bx, &by, &bw, &bh);
	boxDestroy(&box);
	bx = (l_int32)((float)bx / f);
	by = (l_int32)((float)by / f);
	bw = (l_int32)((float)bw / f);
	bh = (l_int32)((float)bh / f);
	out = boxCreate(bx - bw * CROP_MARGIN / 1000,
			by - bh * CROP_MARGIN / 1000,
			bw + 2 * bw * CROP_MARGIN / 1000,
			bh + 2 * bh * CROP_MARGIN / 1000);
	return out;
}

/* Uneven light shows as background tiles of different brightness: the
 * bright rank of each tile is its paper, whatever the print on it. */
static int light_is_uneven(PIX *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	int lo = 255, hi = 0;

	for (int ty = 0; ty < BG_TILES; ty++) {
		for (int tx = 0; tx < BG_TILES; tx++) {
			BOX *box =
				boxCreate(tx * w / BG_TILES, ty * h / BG_TILES,
					  w / BG_TILES, h / BG_TILES);
			PIX *tile =
				box ? pixClipRectangle(grey, box, NULL) : NULL;
			l_uint32 v = 255;

			if (tile)
				pixGetRankValue(tile, 2, 0.9f, &v);
			if ((int)v < lo)
				lo = (int)v;
			if ((int)v > hi)
				hi = (int)v;
			pixDestroy(&tile);
			boxDestroy(&box);
		}
	}
	return hi - lo > BG_MAX_SPREAD;
}

/* Degrees a binary page's lines tilt by, where Leptonica's sweep and
 * search is sure of it; 0 otherwise. */
static float sure_skew(PIX *bin)
{
	l_float32 angle = 0.0f, conf = 0.0f;

	pixFindSkewSweepAndSearch(bin, &angle, &conf, 2, 2, SKEW_RANGE, 1.0f,
				  0.01f);
	return conf >= SKEW_MIN_CONF ? angle : 0.0f;
}

/* Turns a binary page whose lines tilt by more than a few degrees level
 * (Leptonica's sure skew only): the ascender and descender counts that
 * tell up from down are taken along rows, and on a receipt photographed
 * ten degrees crooked they said "on its side". A page lying on its side
 * has no level-ish lines to find, so it is left as it is. *bin is
 * replaced, or destroyed when memory runs out. */
static void level_lines(PIX **bin)
{
	float angle = sure_skew(*bin);

	if (fabsf(angle) < ORIENT_MIN_SKEW)
		return;
	PIX *level = pixRotate(*bin, angle * (float)M_PI / 180.0f,
			       L_ROTATE_SAMPLING, L_BRING_IN_WHITE, 0, 0);

	pixDestroy(bin);
	*bin = level;
}

/* Twice the area of the quadrilateral c (shoelace formula). */
static float quad_area2(const l_float32 c[4][2])
{
	float a = 0.0f;

	for (int i = 0; i < 4; i++)
		a += c[i][0] * c[(i + 1) % 4][1] - c[(i + 1) % 4][0] * c[i][1];
	return a < 0.0f ? -a : a;
}

static float dist(const l_float32 *a, const l_float32 *b)
{
	return hypotf(a[0] - b[0], a[1] - b[1]);
}

/* The largest 8-connected region of the binary bin with its holes
 * filled, and where its box lies in bin; NULL when there is none. */
static PIX *largest_region(PIX *bin, l_int32 *bx, l_int32 *by)
{
	PIXA *pixa = NULL;
	BOXA *boxa = pixConnComp(bin, &pixa, 8);
	PIX *region = NULL, *holes = NULL;
	l_int32 w, h, bw = 0, bh = 0;
	int k = -1;

	for (int i = 0; boxa && i < boxaGetCount(boxa); i++) {
		boxaGetBoxGeometry(boxa, i, NULL, NULL, &w, &h);
		if (k < 0 || w * h > bw * bh) {
			k = i;
			boxaGetBoxGeometry(boxa, i, bx, by, &bw, &bh);
		}
	}
	if (k >= 0)
		region = pixaGetPix(pixa, k, L_COPY);
	if (region)
		holes = pixHolesByFilling(region, 4);
	if (holes)
		pixOr(region, region, holes);
	else
		pixDestroy(&region);
	pixDestroy(&holes);
	pixaDestroy(&pixa);
	boxaDestroy(&boxa);
	return region;
}

/* The corners of region (at bx, by in a picture of total pixels, which
 * is f times grey's size) in grey's pixels: the extreme points along the
 * diagonals. 1 when they outline a sheet that needs mapping (see
 * FLAT_*), else 0. */
static int region_corners(PIX *region, l_int32 bx, l_int32 by, float total,
			  float f, l_float32 c[4][2])
{
	l_int32 bw = pixGetWidth(region), bh = pixGetHeight(region), n = 0;
	float best[4] = { 0 }, area, turn = 0.0f;
	int found = 0;

	pixCountPixels(region, &n, NULL);
	/* x + y is least at the top left, x - y greatest at the top right,
	 * and so on round the sheet. */
	for (l_int32 y = 0; y < bh; y++) {
		l_uint32 *line = pixGetData(region) + y * pixGetWpl(region);

		for (l_int32 x = 0; x < bw; x++) {
			float d[4] = { (float)(-x - y), (float)(x - y),
				       (float)(x + y), (float)(y - x) };

			if (!GET_DATA_BIT(line, x))
				continue;
			for (int j = 0; j < 4; j++)
				if (!found || d[j] > best[j]) {
					best[j] = d[j];
					c[j][0] = (l_float32)(bx + x);
					c[j][1] = (l_float32)(by + y);
				}
			found = 1;
		}
	}
	if (!found)
		return 0;
	area = quad_area2(c) / 2.0f;
	/* The steepest edge, in degrees off its axis. */
	for (int j = 0; j < 4; j++) {
		float dx = fabsf(c[(j + 1) % 4][0] - c[j][0]),
		      dy = fabsf(c[(j + 1) % 4][1] - c[j][1]);
		float t = (j % 2 ? atan2f(dx, dy) : atan2f(dy, dx)) * 180.0f /
			  (float)M_PI;

		turn = t > turn ? t : turn;
	}
	for (int j = 0; j < 4; j++) {
		c[j][0] /= f;
		c[j][1] /= f;
	}
	return area >= FLAT_MIN_AREA * total &&
	       fabsf((float)n - area) <= FLAT_FIT * area &&
	       turn >= DESKEW_MIN_ANGLE;
}

/* The corners of the sheet in grey (top left, top right, bottom right,
 * bottom left, in grey's pixels), of the largest region that is not
 * table, or, on a grained table that is nowhere flat, of the largest
 * region brighter than the table (Otsu's split). 1 when they outline a
 * sheet that needs mapping, else 0. */
static int sheet_corners(PIX *grey, l_float32 c[4][2])
{
	float f;
	PIX *thumb = scale_to_side(grey, FLAT_SIDE, &f);
	PIX *edge = NULL, *flat = NULL, *bin = NULL, *region = NULL;
	l_int32 bx = 0, by = 0;
	float total;
	int found = 0;

	if (!thumb)
		return 0;
	total = (float)pixGetWidth(thumb) * (float)pixGetHeight(thumb);
	edge = pixSobelEdgeFilter(thumb, L_ALL_EDGES);
	if (edge)
		flat = pixThresholdToBinary(edge, SHEET_EDGE);
	if (flat)
		bin = pixExtractBorderConnComps(flat, 4);
	if (bin) {
		pixInvert(bin, bin);
		region = largest_region(bin, &bx, &by);
	}
	if (region)
		found = region_corners(region, bx, by, total, f, c);
	pixDestroy(&region);
	pixDestroy(&bin);
	if (!found) {
		/* Lit paper, grown into its shade across soft edges
		 * (grow_paper). */
		PIX *soft = pixThresholdToBinary(edge, GROW_EDGE);

		bin = pixThresholdToBinary(thumb, otsu(thumb));
		if (bin && soft) {
			pixInvert(bin, bin);
			pixAnd(bin, bin, soft);
			pixSeedfillBinary(bin, bin, soft, 4);
			region = largest_region(bin, &bx, &by);
		}
		pixDestroy(&soft);
		/* The picture was cropped to the paper: a bright part
		 * that does not span it is paper in the light, its shaded
		 * rest left out. */
		if (region &&
		    pixGetWidth(region) >= BRIGHT_SPAN * pixGetWidth(thumb) &&
		    pixGetHeight(region) >= BRIGHT_SPAN * pixGetHeight(thumb))
			found = region_corners(region, bx, by, total, f, c);
		pixDestroy(&region);
		pixDestroy(&bin);
	}
	pixDestroy(&flat);
	pixDestroy(&edge);
	pixDestroy(&thumb);
	return found;
}

/* Maps the sheet whose corners are c onto an upright rectangle as long
 * as its longer edges; NULL when memory runs out. */
static PIX *flatten(PIX *grey, l_float32 c[4][2])
{
	l_float32 w = fmaxf(dist(c[0], c[1]), dist(c[3], c[2]));
	l_float32 h = fmaxf(dist(c[0], c[3]), dist(c[1], c[2]));
	PTA *src = ptaCreate(4), *dst = ptaCreate(4);
	PIX *mapped = NULL, *out = NULL;
	BOX *box = boxCreate(0, 0, (l_int32)w, (l_int32)h);

	if (src && dst && box) {
		l_float32 to[4][2] = { { 0, 0 }, { w, 0 }, { w, h }, { 0, h } };

		for (int j = 0; j < 4; j++) {
			ptaAddPt(src, c[j][0], c[j][1]);
			ptaAddPt(dst, to[j][0], to[j][1]);
		}
		/* Interpolated: sampled pixels read worse on faded print. */
		mapped = pixProjectivePta(grey, dst, src, L_BRING_IN_WHITE);
	}
	if (mapped)
		out = pixClipRectangle(mapped, box, NULL);
	pixDestroy(&mapped);
	boxDestroy(&box);
	ptaDestroy(&src);
	ptaDestroy(&dst);
	return out;
}

/*
 * Clockwise quarter turns that make the text upright, from Leptonica's
 * ascender/descender statistics (milliseconds, where Tesseract's OSD would
 * cost a recognition pass): "up" is the evidence for upright against
 * upside down, "left" for lying on one side against the other. A receipt
 * is a long strip of paper printed across, so a clearly tall picture of
 * one is upright or upside down and a clearly wide one lies on its side:
 * the shape decides which question the statistics answer, and dot-matrix
 * print that fools them cannot turn a tall receipt sideways. Otherwise the
 * stronger evidence wins if it is strong enough. 0 when unsure.
 */
static int find_quads(PIX *grey)
{
	float f;
	PIX *small = scale_to_side(grey, ORIENT_SIDE, &f), *bin = NULL;
	PIX *even = NULL;
	l_float32 up = 0.0f, left = 0.0f;
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	int tall = h * 10 >= ORIENT_SHAPE * w,
	    wide = w * 10 >= ORIENT_SHAPE * h;
	int side, flip;

	/* Evened first: one threshold over a shadow turns the shaded side
	 * black, and its edge outweighs the letters' ascenders. */
	if (small)
		even = light_is_uneven(small)
			       ? pixBackgroundNormSimple(small, NULL, NULL)
			       : pixClone(small);
	if (even)
		bin = pixThresholdToBinary(even, otsu(even));
	if (bin)
		level_lines(&bin);
	if (bin)
		pixOrientDetect(bin, &up, &left, 0, 0);
	pixDestroy(&even);
	pixDestroy(&bin);
	pixDestroy(&small);
	side = fabsf(left) >= ORIENT_MIN_CONF &&
	       (wide || (!tall && fabsf(left) > 2.0f * fabsf(up)));
	flip = up <= -ORIENT_MIN_CONF &&
	       (tall || (!wide && fabsf(up) > 2.0f * fabsf(left)));
	if (side)
		return left > 0.0f ? 1 : 3;
	return flip ? 2 : 0;
}

/* Degrees to turn so that text lines run level; 0 when unsure (see
 * prep.h). */
float ocr_prep_find_skew(PIX *grey)
{
	PIX *bin = pixThresholdToBinary(grey, otsu(grey));
	float angle = bin ? sure_skew(bin) : 0.0f;

	pixDestroy(&bin);
	return angle;
}

/* Faint print (worn thermal paper, a washed-out photo): the darkest few
 * per cent of the picture, where the ink is, stay far from black. The
 * median is the paper. Stretching ink to black and paper to white gave
 * more dates and items on faded receipts, real and synthetic; thickening
 * the strokes as well (grey erosion) cost real totals, so it is not done. */
static int ink_is_faint(PIX *grey, l_uint32 *ink, l_uint32 *paper)
{
	pixGetRankValue(grey, 2, INK_RANK, ink);
	pixGetRankValue(grey, 2, 0.5f, paper);
	return (int)*ink > INK_MAX_LEVEL;
}

/* Replaces *pix by next when next is non-NULL; 0 or OCR_ERR_NOMEM. */
static int replace(PIX **pix, PIX *next)
{
	if (!next)
		return OCR_ERR_NOMEM;
	pixDestroy(pix);
	*pix = next;
	return OCR_OK;
}

static PIX *scale_to_width(PIX *pix, int max_width, int min_width)
{
	int w = pixGetWidth(pix);
	float f = 1.0f;

	if (max_width > 0 && w > max_width)
		f = (float)max_width / (float)w;
	else if (min_width > 0 && w < min_width)
		f = (float)min_width / (float)w;
	if (f == 1.0f)
		return pixClone(pix);
	return f < 1.0f ? pixScaleAreaMap(pix, f, f) : pixScale(pix, f, f);
}

/* Median height of the character-shaped blobs of ink in grey (pixels),
 * 0 when there are too few to tell. */
static int text_height(PIX *grey)
{
	PIX *bin = pixThresholdToBinary(grey, otsu(grey));
	BOXA *boxa = bin ? pixConnCompBB(bin, 8) : NULL;
	NUMA *heights = numaCreate(0);
	int n = boxa ? boxaGetCount(boxa) : 0, maxh = pixGetHeight(grey) / 10;
	l_float32 median = 0.0f;

	for (int i = 0; i < n && heights; i++) {
		l_int32 bx, by, bw, bh;

		boxaGetBoxGeometry(boxa, i, &bx, &by, &bw, &bh);
		if (bh >= TEXT_MIN_PX && bh <= maxh && bw * 5 >= bh &&
		    bw <= 2 * bh)
			numaAddNumber(heights, (l_float32)bh);
	}
	if (heights && numaGetCount(heights) >= TEXT_MIN_BLOBS)
		numaGetMedian(heights, &median);
	numaDestroy(&heights);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
	return (int)median;
}

/* Median width of the print's strokes (pixels): the median run of ink
 * along every other row of grey's Otsu binarisation, 0 when there is no
 * ink. */
static int stroke_width(PIX *grey)
{
	PIX *bin = pixThresholdToBinary(grey, otsu(grey));
	l_uint32 runs[STROKE_MAX_RUN + 1] = { 0 }, total = 0, seen = 0;
	int w, h, wpl, run;

	if (!bin)
		return 0;
	pixGetDimensions(bin, &w, &h, NULL);
	wpl = pixGetWpl(bin);
	for (int y = 0; y < h; y += 2) {
		l_uint32 *line = pixGetData(bin) + y * wpl;

		run = 0;
		for (int x = 0; x <= w; x++) {
			if (x < w && GET_DATA_BIT(line, x)) {
				run++;
				continue;
			}
			if (run) {
				runs[run > STROKE_MAX_RUN ? STROKE_MAX_RUN
							  : run]++;
				total++;
			}
			run = 0;
		}
	}
	pixDestroy(&bin);
	for (run = 1; run <= STROKE_MAX_RUN && total; run++) {
		seen += runs[run];
		if (seen * 2 >= total)
			return run;
	}
	return 0;
}

/* Strokes at least HEAVY_STROKE per mille of the text's height. */
static int heavy_print(PIX *grey)
{
	int th = text_height(grey);

	return th && stroke_width(grey) * 1000 >= HEAVY_STROKE * th;
}

/*
 * Scales *pix to the working width, then (step scale) so that its text
 * lands near TEXT_BEST_PX: tall text down, small text up. The text is
 * measured at the working width, but the final image is made from the
 * unscaled one in one step, so enlarging small print does not enlarge
 * what an earlier reduction already blurred. 0 or OCR_ERR_NOMEM.
 */
static int scale_for_text(PIX **pix, unsigned steps, int max_width,
			  int min_width, struct ocr_prep_info *info)
{
	PIX *work = scale_to_width(*pix, max_width, min_width);
	float f = 1.0f, g;
	double area;
	int th = 0;

	if (!work)
		return OCR_ERR_NOMEM;
	if (steps & OCR_PREP_SCALE)
		th = text_height(work);
	info->text_px = th;
	if (th > TEXT_MAX_PX)
		f = th * TEXT_MIN_SCALE > TEXT_DOWN_PX
			    ? TEXT_MIN_SCALE
			    : (float)TEXT_DOWN_PX / (float)th;
	if (th && th < TEXT_MIN_GOOD_PX) {
		l_uint32 ink, paper;

		/* Worn print on a phone photo breaks into small pieces that
		 * look like small text; enlarging it cost faded dates. Faint
		 * scans at their own size (nothing reduced) gain from it. */
		if (!ink_is_faint(work, &ink, &paper) ||
		    pixGetWidth(*pix) <= pixGetWidth(work))
			f = th * TEXT_MAX_UP < TEXT_UP_PX
				    ? TEXT_MAX_UP
				    : (float)TEXT_UP_PX / (float)th;
	}
	if (f == 1.0f)
		return replace(pix, work);
	g = f * (float)pixGetWidth(work) / (float)pixGetWidth(*pix);
	if (max_width > 0 &&
	    g * (float)pixGetWidth(*pix) > TEXT_MAX_WIDTHS * (float)max_width)
		g = TEXT_MAX_WIDTHS * (float)max_width /
		    (float)pixGetWidth(*pix);
	/* Without a working width, enlarging stops where intake would
	 * refuse the picture. */
	area = (double)pixGetWidth(*pix) * (double)pixGetHeight(*pix);
	if (g > 1.0f && area * g * g > (double)OCR_MAX_PIXELS)
		g = 1.0f;
	pixDestroy(&work);
	return replace(pix, g < 1.0f ? pixScaleAreaMap(*pix, g, g)
				     : pixScale(*pix, g, g));
}

int ocr_prep_run(PIX *src, unsigned steps, int max_width, int min_width,
		 PIX **out, struct ocr_prep_info *info)
{
	PIX *pix = pixConvertTo8(src, 0), *surround = NULL;
	int rc = pix ? OCR_OK : OCR_ERR_NOMEM;

	memset(info, 0, sizeof(*info));
	*out = NULL;
	if (rc == OCR_OK && (steps & OCR_PREP_CROP)) {
		BOX *paper = find_paper(pix);

		if (paper) {
			rc = replace(&pix, pixClipRectangle(pix, paper, NULL));
			info->cropped = 1;
		}
		boxDestroy(&paper);
	}
	if (rc == OCR_OK && (steps & OCR_PREP_ORIENT)) {
		int quads = find_quads(pix);

		if (quads)
			rc = replace(&pix, pixRotateOrth(pix, quads));
		info->rotation = 90 * quads;
	}
	if (rc == OCR_OK)
		rc = scale_for_text(&pix, steps, max_width, min_width, info);
	if (rc == OCR_OK && (steps & OCR_PREP_DESKEW)) {
		l_float32 corners[4][2];
		float angle = 0.0f;

		if (sheet_corners(pix, corners)) {
			rc = replace(&pix, flatten(pix, corners));
			info->flattened = 1;
		} else {
			angle = ocr_prep_find_skew(pix);
		}
		if (fabsf(angle) >= DESKEW_MIN_ANGLE) {
			rc = replace(
				&pix,
				pixRotate(pix, angle * (float)M_PI / 180.0f,
					  ROTATE_TYPE, L_BRING_IN_WHITE, 0, 0));
			info->skew = angle;
		}
	}
	/* A band of shadow narrower than a tile escapes light_is_uneven,
	 * and white paper (below) would paint it out with its print as
	 * table: a date line lost so on phone photos (paper.c). The
	 * border regions found for it serve white paper too, the page
	 * being unchanged until then where white paper runs. */
	if (rc == OCR_OK && (steps & OCR_PREP_BGNORM)) {
		int even = !light_is_uneven(pix), shaded = 0;

		if (even) {
			surround = ocr_paper_surround(pix);
			shaded = surround ? ocr_paper_shaded(pix, surround)
					  : OCR_ERR_NOMEM;
		}
		if (shaded < 0) {
			rc = shaded;
		} else if (!even || shaded) {
			rc = replace(&pix,
				     pixBackgroundNormSimple(pix, NULL, NULL));
			info->normalised = 1;
		}
	}
	if (rc == OCR_OK && (steps & OCR_PREP_INK)) {
		l_uint32 ink, paper;

		if ((ink_is_faint(pix, &ink, &paper) || info->normalised) &&
		    paper > ink + INK_MIN_SPAN) {
			float gamma = info->normalised || heavy_print(pix)
					      ? DARKEN_GAMMA
					      : 1.0f;

			pixGammaTRC(pix, pix, gamma, (l_int32)ink,
				    (l_int32)paper);
			info->stretched = 1;
			info->darkened = gamma != 1.0f;
		}
	}
	/* White paper (paper.c), where neither step above has already
	 * rescaled the levels: on those pictures it cost totals. */
	if (rc == OCR_OK && (steps & OCR_PREP_INK) && !info->normalised &&
	    !info->stretched && ocr_paper_whiten(pix, surround) < 0)
		rc = OCR_ERR_NOMEM;
	pixDestroy(&surround);
	if (rc == OCR_OK && (steps & OCR_PREP_BARS)) {
		int n = ocr_bars_clear(pix, text_height(pix));

		if (n < 0)
			rc = n;
		else
			info->bars = n;
	}
	if (rc == OCR_OK && (steps & OCR_PREP_DOTS) && info->stretched) {
		int n = ocr_dots_clear(pix);

		if (n < 0)
			rc = n;
		else
			info->dots = n;
	}
	if (rc != OCR_OK) {
		pixDestroy(&pix);
		return rc;
	}
	info->width = pixGetWidth(pix);
	info->height = pixGetHeight(pix);
	*out = pix;
	return OCR_OK;
}
