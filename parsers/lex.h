/*
 * lex.h: cursor helpers that read the small tokens receipts are made of
 * (money amounts, dates, times, keywords) out of noisy OCR text. Every
 * reader takes `const char **p` and an end pointer, works on text that is
 * not NUL-terminated, advances *p past what it read on success and leaves
 * *p untouched on failure, so calls chain like a tiny grammar.
 */
#ifndef RD_LEX_H
#define RD_LEX_H

#include <stddef.h>
#include <stdint.h>

/* Digits before the decimal separator: 9 keeps any amount far from
 * INT64_MAX cents and is more than any real receipt prints. */
#define LEX_AMOUNT_MAX_INT_DIGITS 9

/* Years outside this window are OCR noise, not receipt dates. */
#define LEX_YEAR_MIN 1990
#define LEX_YEAR_MAX 2099

enum lex_err {
	LEX_OK = 0,
	LEX_ERR_NOMATCH = -1, /* the text at *p is not the token asked for */
	LEX_ERR_RANGE = -2,   /* it looked like one but is out of range */
};

/* What lex_amount_info learnt besides the value. */
struct lex_amount {
	int64_t cents;
	char decimal_sep; /* ',' or '.' as printed before the cents */
	char currency
		[4]; /* ISO code of a printed prefix ("RM" -> "MYR"), or "" */
};

/* Skips spaces and tabs; returns how many bytes were skipped. */
size_t lex_skip_spaces(const char **p, const char *end);

/*
 * Reads a money amount: an optional sign or currency prefix (RM, $, EUR,
 * €, £), digit groups with optional thousands separators, and a decimal
 * separator ('.', ',' or U+201A, a low comma-like quote) followed by
 * exactly two cent digits. Accepts a
 * trailing minus ("0,75-"), one stray space on either side of the decimal
 * separator and the usual OCR letter-for-digit confusions (O o -> 0,
 * l I | ] -> 1, S -> 5, B -> 8, Z -> 2) only where a real digit is next to
 * them. A third digit after the cents or more than
 * LEX_AMOUNT_MAX_INT_DIGITS whole digits is refused. A letter directly
 * after the cents (a VAT class, "1,99A") is not consumed.
 */
int lex_amount(const char **p, const char *end, int64_t *cents);
int lex_amount_info(const char **p, const char *end, struct lex_amount *out);

/*
 * Reads a date, day first: DD.MM.YYYY, DD.MM.YY, DD/MM/YYYY, DD-MM-YY,
 * YYYY-MM-DD, "3 Oct 2016", "03-Oct-2016", "OCT 3, 2016", "3. Oktober
 * 2016", "3rd Dec 2026". A slashed or dashed date whose second field is
 * no month reads month first ("11/28/26"; see LEX_DATE_MONTH_FIRST for the
 * others). Two-digit years mean 20YY. The calendar is checked (no
 * 31.02.). OCR noise forgiven: '.' read as ',', a doubled separator, a
 * stray space on either side of one ("02.03 .2020"), the first separator
 * lost before a four-digit year ("20 05.2020"), one '/' read as 1 or 7
 * ("10103/2018"), and eight digits run together (DDMMYYYY or YYYYMMDD)
 * when a time follows ("20180428 19:12", "20180428/191204"), or nine
 * with one '/' read as 1 or 7 and the other lost ("217092017").
 * A two-digit year followed by a separator and a digit is refused: in
 * "06. 06.04.2020" the date starts at the second 06.
 * Writes "YYYY-MM-DD" and a NUL to out (11 bytes).
 */
int lex_date(const char **p, const char *end, char out[11]);

/* lex_date flag: a four-digit year or a month out of range is repaired
 * when exactly one in-range value is one confusable digit away ("2920" ->
 * 2020, "14.99.17" -> 14.09.17, both in "2917-23-07"), and a month name
 * one letter off a single month's ("DCT 21, 2017") is read as that month.
 * It is a guess: use it only where no date reads cleanly. */
#define LEX_DATE_REPAIR 1u
/* lex_date flag: the line is labelled as the date ("Datum:", "Date"), so
 * eight digits run together read as a date without a time after them. */
#define LEX_DATE_LABELLED 2u

/* lex_date flag: a slashed or dashed date whose first two fields both fit
 * a month reads month first ("12/05/2026" is 5 December), as in the US. */
#define LEX_DATE_MONTH_FIRST 4u

int lex_date_flags(const char **p, const char *end, char out[11],
		   unsigned flags);

/*
 * Reads a time: "14:33", "14:33:05", "2:15 PM", "18.22 Uhr", "18h22",
 * "15;37".
 * Writes "HH:MM" (24 h) and a NUL to out (6 bytes). Hours, minutes and
 * seconds are range-checked.
 */
int lex_time(const char **p, const char *end, char out[6]);

/* Keyword flag: the keyword must end where a word ends ("Bon" != "Bonus"). */
#define LEX_KW_WORD 1u
/* Keyword flag: no OCR slips ("charge" must not match "change"). */
#define LEX_KW_EXACT 2u

/*
 * Matches keyword kw (ASCII, lower case) at *p: case-insensitive, umlauts
 * fold to their base letter (ü -> u), a space in kw matches any run of
 * spaces or none, '-' and '.' in kw are optional in the text, and long
 * keywords tolerate OCR slips, a letter misread, added or lost (one from
 * 5 letters, two from 10, never the first letter; from 6 letters the first
 * alone may be misread). Returns 0 and advances past the match, or
 * LEX_ERR_NOMATCH.
 */
int lex_keyword(const char **p, const char *end, const char *kw,
		unsigned flags);

/*
 * Finds the first word start in [s, end) where lex_keyword matches.
 * Returns the start of the match and sets *after past it, or NULL.
 */
const char *lex_find_keyword(const char *s, const char *end, const char *kw,
			     unsigned flags, const char **after);

/* True when OCR often prints digit a for digit b (or b for a): 0/8,
 * 5/6, 1/7 and the like. */
int lex_digits_confusable(int a, int b);

/* True when digit got is what OCR makes of a printed dotted (or slashed)
 * zero: a 6, 8 or 9 for a 0. Worn, the dot reads as an 8's bar, the ring
 * half gone as a 6 or 9; a 0 where 6, 8 or 9 was printed is rare (on 500
 * synthetic phone photos 16 wrong totals were the first, none the
 * second). */
int lex_dotted_zero(int got, int printed);

/* True when amount got (cents, positive) is printed with its dotted zeros
 * misread: as many digits, and every digit that differs is a 0 in
 * printed. */
int lex_dotted_zeros(int64_t got, int64_t printed);

/* True when dropping one digit of read gives want (both the same sign):
 * OCR saw a stray mark as a digit ("17,98" for 7,98, "-08,75" for
 * -0,75, "292,26" for 29,26). */
int lex_one_digit_inserted(int64_t read, int64_t want);

/* True when amounts a and b (cents, same sign, same number of digits
 * counting the leading zero of "0,20") differ in exactly one digit, and
 * that digit is one OCR confuses (lex_digits_confusable). */
int lex_one_digit_misread(int64_t a, int64_t b);

/* Finds the first rate ("19%", "19,0 %", "7.00%") of at most max_bp
 * basis points in [s, end): 0 with the rate in *bp and its text in
 * [*rs, *re), or -1. */
int lex_rate(const char *s, const char *end, int max_bp, int *bp,
	     const char **rs, const char **re);

/* The end of the first zero rate ("0%", "0,00 %") in [s, end), which
 * lex_rate refuses (a VAT row's, as zero-rated goods print it, and
 * nothing else); NULL where there is none. */
const char *lex_zero_rate(const char *s, const char *end);

/* Letters spaced out for show, three or more single ASCII letters in a
 * row ("E D E K A", "Q U I T T U N G"), joined into their word in
 * s[0..n), in place; returns the new length (s stays terminated). */
size_t lex_join_spaced(char *s, size_t n);

/* True when c is an ASCII letter or the first byte of a UTF-8 sequence. */
int lex_is_letter(unsigned char c);

#endif
