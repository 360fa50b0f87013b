# A strict JSON checker in POSIX awk (RFC 8259): every input line must be
# exactly one JSON value. Exits 0 when all are, 1 naming the first line
# and offset that is not. Used by the CLI tests, which cannot count on
# python or jq being installed.
#
#   awk -f json.awk FILE
function fail(msg) {
	printf "json.awk: line %d, offset %d: %s\n", NR, pos, msg > "/dev/stderr"
	bad = 1
	exit 1
}
function peek() { return substr(s, pos, 1) }
function ws() { while (pos <= n && index(" \t\r", peek()) > 0) pos++ }
function value(   c) {
	ws()
	c = peek()
	if (c == "{") obj()
	else if (c == "[") arr()
	else if (c == "\"") str()
	else if (c == "-" || (c >= "0" && c <= "9")) num()
	else if (substr(s, pos, 4) == "true") pos += 4
	else if (substr(s, pos, 5) == "false") pos += 5
	else if (substr(s, pos, 4) == "null") pos += 4
	else fail("unexpected '" c "'")
	ws()
}
function obj() {
	pos++
	ws()
	if (peek() == "}") { pos++; return }
	for (;;) {
		ws()
		if (peek() != "\"") fail("expected a key")
		str()
		ws()
		if (peek() != ":") fail("expected ':'")
		pos++
		value()
		if (peek() == ",") { pos++; continue }
		if (peek() == "}") { pos++; return }
		fail("expected ',' or '}'")
	}
}
function arr() {
	pos++
	ws()
	if (peek() == "]") { pos++; return }
	for (;;) {
		value()
		if (peek() == ",") { pos++; continue }
		if (peek() == "]") { pos++; return }
		fail("expected ',' or ']'")
	}
}
function str(   c) {
	pos++
	for (;;) {
		if (pos > n) fail("unterminated string")
		c = peek()
		if (c == "\"") { pos++; return }
		if (c == "\\") {
			pos++
			c = peek()
			if (c == "u") {
				if (substr(s, pos + 1, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/)
					fail("bad \\u escape")
				pos += 5
			} else if (index("\"\\/bfnrt", c) > 0)
				pos++
			else
				fail("bad escape '\\" c "'")
			continue
		}
		if (c < " ") fail("raw control character in a string")
		pos++
	}
}
function num(   t) {
	t = substr(s, pos)
	if (match(t, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/) == 0)
		fail("bad number")
	pos += RLENGTH
}
{
	s = $0
	n = length(s)
	pos = 1
	value()
	if (pos <= n) fail("trailing text")
}
END {
	if (NR == 0 && !bad) {
		print "json.awk: no input" > "/dev/stderr"
		exit 1
	}
}
