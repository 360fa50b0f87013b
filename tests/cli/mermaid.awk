# mermaid.awk: checks that a file is an erDiagram of the shape
# `schemasync diagram` writes, every line of it, against mermaid's
# grammar for that subset (no mermaid needed):
#
#   erDiagram
#       "ENTITY" {
#           TYPE NAME [PK|FK|UK[, ...]] "COMMENT"
#       }
#       "ENTITY" (||||o)--(o{|o|) "ENTITY" : "LABEL"
#
# A quoted entity name or label holds no " % \ or control character
# (mermaid's lexer would end or refuse it); a bare word is one that
# mermaid reads as one attribute word and not as a key marker. Every
# entity is declared once, and every edge joins declared entities.
# Prints "entities N edges N" and exits 0, or prints the first bad
# line and exits 1. Run with LC_ALL=C.
function fail(why) {
	printf "line %d: %s: %s\n", NR, why, $0
	bad = 1
	exit 1
}
function keyword(w) {
	w = toupper(w)
	return w == "PK" || w == "FK" || w == "UK"
}
# The quoted string that starts at s (which begins with a quote):
# returns its inside and sets `after` to what follows it; fails when
# the string is bad.
function quoted(s,    rest, end) {
	if (substr(s, 1, 1) != "\"")
		fail("expected a quoted string")
	rest = substr(s, 2)
	end = index(rest, "\"")
	if (end == 0)
		fail("unterminated string")
	s = substr(rest, 1, end - 1)
	if (s ~ /[%\\]/ || s ~ /[\001-\037\177]/)
		fail("a character mermaid refuses inside quotes")
	after = substr(rest, end + 1)
	return s
}
BEGIN { bad = 0; inblock = 0; nent = 0; nedge = 0 }
NR == 1 {
	if ($0 != "erDiagram")
		fail("the first line is not erDiagram")
	next
}
inblock && /^    }$/ { inblock = 0; next }
inblock {
	if ($0 !~ /^        [A-Za-z_][]A-Za-z0-9_()[]* [A-Za-z_][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)? "[^"]*"$/)
		fail("not an attribute line")
	if (keyword($1) || keyword($2))
		fail("a word mermaid reads as a key marker")
	next
}
/^    "/ {
	name = quoted(substr($0, 5))
	if (after == " {") {
		if (name in entity)
			fail("entity declared twice")
		entity[name] = 1
		nent++
		inblock = 1
		next
	}
	if (after !~ /^ (\|\||\|o)--(o\{|o\|) "/)
		fail("neither an entity nor an edge")
	from = name
	to = quoted(substr(after, 9))
	if (substr(after, 1, 3) != " : ")
		fail("an edge without its label")
	label = quoted(substr(after, 4))
	if (after != "")
		fail("text after the label")
	edge[nedge++] = from SUBSEP to
	next
}
{ fail("unexpected line") }
END {
	if (bad)
		exit 1
	if (inblock) {
		print "unterminated entity block"
		exit 1
	}
	if (NR == 0) {
		print "empty file"
		exit 1
	}
	for (i = 0; i < nedge; i++) {
		split(edge[i], e, SUBSEP)
		if (!(e[1] in entity) || !(e[2] in entity)) {
			printf "edge %d joins an undeclared entity\n", i + 1
			exit 1
		}
	}
	printf "entities %d edges %d\n", nent, nedge
}
