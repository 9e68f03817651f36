#!/usr/bin/env bash
# receipt-scan as a user meets it: bad files get one stderr line each and a
# non-zero exit while the good ones are still read; --jobs gives the same
# answers in the same order as a serial run.
set -u
scan=${SCAN:-build/receipt-scan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_THREAD_LIMIT=1
pass=0 fail=0
check() { # name, command...
	local name=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}

good1=fixtures/synth/006.png good2=fixtures/synth/007.jpg
echo "SUMME 12,34" > "$tmp/note.txt"
head -c 5000 "$good2" > "$tmp/cut.jpg"

"$scan" --json "$good1" "$tmp/note.txt" "$tmp/missing.jpg" "$tmp/cut.jpg" "$good2" \
	> "$tmp/out" 2> "$tmp/err"
rc=$?
check "bad files make the exit status non-zero" test "$rc" -ne 0
check "good files are still read" test "$(grep -c '"total"' "$tmp/out")" -eq 2
check "one stderr line per bad file" test "$(grep -c '^receipt-scan: ' "$tmp/err")" -eq 3
check "not an image is named" grep -q "note.txt: not a JPEG, PNG, TIFF or WebP image" "$tmp/err"
check "missing file is named" grep -q "missing.jpg: file could not be read" "$tmp/err"
check "truncated file is named" grep -q "cut.jpg: image data is corrupt or truncated" "$tmp/err"

files=$(ls fixtures/synth/*.png fixtures/synth/*.jpg | sort | head -6)
"$scan" --json $files | sed 's/"ocr_ms":[0-9]*//' > "$tmp/serial"
"$scan" --json --jobs 3 $files | sed 's/"ocr_ms":[0-9]*//' > "$tmp/par"
check "--jobs 3 answers like a serial run, in input order" cmp -s "$tmp/serial" "$tmp/par"
check "--jobs output has one line per file" test "$(wc -l < "$tmp/par")" -eq 6

# A receipt lying turned is read upright, whichever way it lies (a page
# Leptonica's check leaves turned reads poorly and goes to Tesseract's).
want=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' \
	fixtures/synth/008.json)
for turn in 90 180 270; do
	/usr/bin/python3 -c 'import sys; from PIL import Image
Image.open(sys.argv[1]).rotate(int(sys.argv[3]), expand=True).save(sys.argv[2])' \
		fixtures/synth/008.png "$tmp/turned.png" "$turn"
	check "a receipt turned $turn degrees reads its total" \
		grep -q "\"total\":$want," <("$scan" --json "$tmp/turned.png")
done

# A till line printed against a barcode (receipt number, date, time) is read
# once the bars are erased; with them Tesseract drops the line.
/usr/bin/python3 - "$tmp/code.png" <<'PY'
import random, sys
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 30)
im = Image.new("L", (900, 560), 250)
d = ImageDraw.Draw(im)
for i, t in enumerate(["Brot 2,49 A", "Milch 1,19 A", "zu zahlen 3,68",
                       "Bar 5,00", "Rueckgeld 1,32"]):
    d.text((40, 30 + 44 * i), t, font=font, fill=20)
rng = random.Random(7)
x = 150
while x < 760:  # some bars run on into the line below
    w = rng.choice((3, 3, 6, 9, 12))
    d.rectangle((x, 270, x + w - 1, 420 + (8 if rng.random() < 0.3 else 0)), fill=20)
    x += w + rng.choice((3, 6, 9))
d.text((40, 424), "3182 295069/02 30.04.20 09:58", font=font, fill=20)
im.save(sys.argv[1])
PY
check "a date printed against a barcode is read" \
	grep -q '"date":"2020-04-30","time":"09:58"' <("$scan" --json "$tmp/code.png")
check "... and not without erasing the barcode" \
	grep -q '"date":null' <("$scan" --json --prep crop,orient,deskew,bgnorm,ink,scale,dots "$tmp/code.png")

# Faint heavy print is darkened and read twice (the page and its opening);
# its figures a third time, opened wider, only where those leave the total
# backed by fewer than two sources (items, payment, VAT table) or the date
# unread (not with --two-readings); then, with the faded model, its date
# words once more, where it has any.
/usr/bin/python3 - "$tmp/backed.png" "$tmp/alone.png" "$tmp/undated.png" <<'PY'
import sys
from PIL import Image, ImageDraw, ImageFont
font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 30)
head = ["Brot 2,49 A", "Milch 1,19 A", "zu zahlen 3,68"]
for path, lines in ((sys.argv[1], head + ["EC-Karte 3,68", "Datum 30.04.2020"]),
                    (sys.argv[2], head + ["Datum 30.04.2020"]),
                    (sys.argv[3], head + ["EC-Karte 3,68"])):
    im = Image.new("L", (700, 300), 250)
    d = ImageDraw.Draw(im)
    for i, t in enumerate(lines):
        d.text((40, 30 + 44 * i), t, font=font, fill=150)
    im.save(path)
PY
check "a darkened page whose total items and card back is read twice" \
	grep -q 'darkened, read 2 times' <("$scan" --text --faded-lang none "$tmp/backed.png")
check "... one whose total only the items back, three times" \
	grep -q 'darkened, read 3 times' <("$scan" --text --faded-lang none "$tmp/alone.png")
check "... and twice with --two-readings" \
	grep -q 'darkened, read 2 times' <("$scan" --text --faded-lang none --two-readings "$tmp/alone.png")
check "... and once more with the faded model (the default)" \
	grep -q 'darkened, read 3 times' <("$scan" --text "$tmp/backed.png")
check "... but not where no word may hold a date" \
	grep -q 'darkened, read 2 times' <("$scan" --text --two-readings "$tmp/undated.png")

# --from-text parses stored OCR text (with or without the --text header).
printf '== x.jpg (12 ms)\nSUMME EUR 12,34\nDatum 01.02.2024\n' > "$tmp/ocr1.txt"
printf 'TOTAL RM 5.60\n' > "$tmp/ocr2.txt"
"$scan" --from-text --json "$tmp/ocr1.txt" "$tmp/missing.txt" "$tmp/ocr2.txt" \
	> "$tmp/out" 2> "$tmp/err"
rc=$?
check "--from-text: a missing file makes the exit status 1" test "$rc" -eq 1
check "--from-text: one line per readable file" test "$(wc -l < "$tmp/out")" -eq 2
check "--from-text: total and date parsed" \
	grep -q '"date":"2024-02-01","time":null,"total":1234' "$tmp/out"
check "--from-text: ocr_ms is 0" test "$(grep -c '"ocr_ms":0}' "$tmp/out")" -eq 2
check "--from-text: second file parsed" grep -q '"total":560' "$tmp/out"
check "--from-text: missing file named" grep -q "missing.txt: file could not be read" "$tmp/err"
# What --text prints, parsed again, gives what --json gives (but for the
# confidence, which uses the OCR's word confidences).
for f in $(echo $files | cut -d' ' -f1-2); do
	"$scan" --text "$f" > "$tmp/round.txt"
	"$scan" --from-text --json "$tmp/round.txt" | sed 's/.*"store"/"store"/;s/"confidence":[0-9.]*//;s/,"ocr_ms".*//' > "$tmp/a"
	grep "\"file\":\"$f\"" "$tmp/serial" | sed 's/.*"store"/"store"/;s/"confidence":[0-9.]*//;s/,}$//' > "$tmp/b"
	check "--text output of $f parses like --json" cmp -s "$tmp/a" "$tmp/b"
done
"$scan" --from-text --text "$tmp/ocr1.txt" 2> /dev/null
check "--from-text with --text is a usage error (exit 2)" test $? -eq 2

printf 'SUMME EUR 12,34\nDatum 01.02.2072\n' > "$tmp/future.txt"
"$scan" --from-text --json --ref-date 2026-12-02 "$tmp/future.txt" > "$tmp/out"
check "--ref-date: a year after it is repaired (2072 -> 2022)" \
	grep -q '"date":"2022-02-01"' "$tmp/out"
printf 'SUMME EUR 12,34\nDatum 01.02.2055\n' > "$tmp/future.txt"
"$scan" --from-text --json --ref-date 2026-12-02 "$tmp/future.txt" > "$tmp/out"
check "--ref-date: an unrepairable date is dropped with a warning" \
	grep -q '"date":null.*plausible window; dropped' "$tmp/out"
"$scan" --ref-date 2026-1-2 "$good1" 2> /dev/null
check "--ref-date not YYYY-MM-DD is a usage error (exit 2)" test $? -eq 2

# score.py --misses --read tells a miss the parser made (the figure is in
# the OCR text) from one OCR made: a truth naming an item's amount as the
# total is read as printed; one naming a figure the receipt lacks is not.
mkdir -p "$tmp/truth"
/usr/bin/python3 - "$tmp/truth" <<'PY'
import json, shutil, sys
d = json.load(open("fixtures/synth/006.json"))
for name, total in (("item", d["items"][0]["amount"]), ("none", 98765)):
    shutil.copy("fixtures/synth/006.png", "%s/%s.png" % (sys.argv[1], name))
    json.dump(dict(d, total=total), open("%s/%s.json" % (sys.argv[1], name), "w"))
PY
/usr/bin/python3 tests/score.py --misses --read --scan "$scan" "$tmp/truth" > "$tmp/out"
check "--read tags the miss whose figure OCR read" \
	grep -q 'item.png: .*\[read: total\]' "$tmp/out"
check "--read counts both misses, one read as printed" \
	grep -q '^wrong totals 2 (figure read as printed: 1), wrong dates 0' "$tmp/out"

"$scan" --jobs 0 "$good1" 2> "$tmp/err"
check "--jobs 0 is a usage error (exit 2)" test $? -eq 2
"$scan" 2> /dev/null
check "no files is a usage error (exit 2)" test $? -eq 2

echo "cli: $pass passed, $fail failed"
test "$fail" -eq 0
