/*
 * pix_fx.h: drawing the grey test pages the preprocessing tests share
 * (test_dots.c, test_bars.c): rectangles of ink or paper, and whether a
 * pixel is ink. Include after <cmocka.h> and Leptonica.
 */
#ifndef RD_PIX_FX_H
#define RD_PIX_FX_H

/* Paints the rectangle x, y, w, h of pix grey level v. */
static void fill(PIX *pix, int x, int y, int w, int h, int v)
{
	BOX *b = boxCreate(x, y, w, h);

	assert_non_null(b);
	assert_int_equal(pixSetInRectArbitrary(pix, b, (l_uint32)v), 0);
	boxDestroy(&b);
}

/* Whether the pixel at x, y is darker than level. */
static int darker(PIX *pix, int x, int y, int level)
{
	l_uint32 v = 0;

	assert_int_equal(pixGetPixel(pix, x, y, &v), 0);
	return (int)v < level;
}

#endif
