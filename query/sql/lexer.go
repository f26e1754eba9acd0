package sql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on what Parse accepts. They bound the work and the stack of every
// later stage.
const (
	MaxQueryLength = 64 << 10
	// MaxDepth bounds the nesting of expressions and subqueries.
	MaxDepth = 64
	// MaxInList bounds the values of one IN list.
	MaxInList = 1024
	// MaxTables bounds the tables one SELECT joins (SQLite's limit too).
	MaxTables = 64
	// MaxCompound bounds the SELECTs one UNION/EXCEPT/INTERSECT chain
	// combines.
	MaxCompound = 256
	// MaxItems bounds the select list, GROUP BY and ORDER BY lists.
	MaxItems = 256
)

// Error is a parse error pointing at a position in the query.
type Error struct {
	Offset int // byte offset into the query
	Line   int // 1-based
	Column int // 1-based, in runes
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("query line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokQuotedIdent
	tokKeyword
	tokInt
	tokFloat
	tokString
	tokHex
	tokOp
)

type token struct {
	kind tokenKind
	text string // keyword upper-cased; string/ident unquoted; op as written
	pos  int
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokString:
		return fmt.Sprintf("string '%s'", t.text)
	case tokQuotedIdent:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// keywords are reserved: a column or table with one of these names must be
// written in double quotes.
var keywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "BY": true, "ORDER": true,
	"ASC": true, "DESC": true, "LIMIT": true, "OFFSET": true, "AND": true, "OR": true,
	"NOT": true, "IN": true, "BETWEEN": true, "IS": true, "NULL": true, "TRUE": true,
	"FALSE": true, "AS": true, "EXPLAIN": true, "TIMESTAMP": true,
	"DISTINCT": true, "ALL": true, "HAVING": true, "UNION": true, "EXCEPT": true,
	"INTERSECT": true, "CASE": true, "WHEN": true, "THEN": true, "ELSE": true, "END": true,
	"EXISTS": true, "CAST": true, "JOIN": true, "INNER": true, "LEFT": true, "OUTER": true,
	"CROSS": true, "ON": true, "USING": true, "LIKE": true, "ESCAPE": true, "ISNULL": true,
	"NOTNULL": true, "NATURAL": true,
}

// fromEnders end the table list of a FROM clause (for lexing paths).
var fromEnders = map[string]bool{
	"WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true, "HAVING": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "ON": true, "USING": true,
}

// lex splits the query into tokens. A bare dataset name or path right after
// FROM or JOIN, or after a comma in a FROM list, may hold '-', '.' and '/'
// (crypto-daily.v2, 0x…/prices).
func lex(q string) ([]token, error) {
	// About one token per four bytes of query: one allocation, where
	// growing from nothing took five for a point lookup.
	toks := make([]token, 0, min(len(q)/4, 256)+4)
	// fromAt[d] is set while the lexer is in the table list of a FROM
	// clause at parenthesis depth d.
	var fromBuf [8]bool
	fromAt := fromBuf[:1]
	depth := 0
	pathNext := func() bool {
		if len(toks) == 0 {
			return false
		}
		last := toks[len(toks)-1]
		switch {
		case last.kind == tokKeyword && (last.text == "FROM" || last.text == "JOIN"):
			return true
		case last.kind == tokOp && last.text == ",":
			return fromAt[depth]
		}
		return false
	}
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return nil, errorAt(q, i, "unterminated /* comment")
			}
			i += end + 4
		case isIdentPart(c) && pathNext():
			start := i
			for i < len(q) && (isIdentPart(q[i]) || q[i] == '-' || q[i] == '.' || q[i] == '/') {
				i++
			}
			// A trailing '.' belongs to a qualified name, not the path.
			toks = append(toks, token{kind: tokIdent, text: q[start:i], pos: start})
		case isIdentStart(c):
			start := i
			for i < len(q) && isIdentPart(q[i]) {
				i++
			}
			word := q[start:i]
			if (word == "x" || word == "X") && i < len(q) && q[i] == '\'' {
				s, end, err := lexQuoted(q, i, '\'')
				if err != nil {
					return nil, err
				}
				if len(s)%2 != 0 || strings.IndexFunc(s, func(r rune) bool { return !isHex(r) }) >= 0 {
					return nil, errorAt(q, start, "X'…' needs an even number of hex digits")
				}
				toks = append(toks, token{kind: tokHex, text: s, pos: start})
				i = end
				continue
			}
			if up := strings.ToUpper(word); keywords[up] {
				toks = append(toks, token{kind: tokKeyword, text: up, pos: start})
				switch {
				case up == "FROM":
					fromAt[depth] = true
				case fromEnders[up]:
					fromAt[depth] = false
				}
			} else {
				toks = append(toks, token{kind: tokIdent, text: word, pos: start})
			}
		case c >= '0' && c <= '9' || (c == '.' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9'):
			start := i
			kind := tokInt
			for i < len(q) && q[i] >= '0' && q[i] <= '9' {
				i++
			}
			if i < len(q) && q[i] == '.' {
				kind = tokFloat
				i++
				for i < len(q) && q[i] >= '0' && q[i] <= '9' {
					i++
				}
			}
			if i < len(q) && (q[i] == 'e' || q[i] == 'E') {
				kind = tokFloat
				i++
				if i < len(q) && (q[i] == '+' || q[i] == '-') {
					i++
				}
				digits := i
				for i < len(q) && q[i] >= '0' && q[i] <= '9' {
					i++
				}
				if i == digits {
					return nil, errorAt(q, start, "number has an exponent without digits")
				}
			}
			if i < len(q) && isIdentStart(q[i]) {
				return nil, errorAt(q, i, "a number runs into a name; put a space between them")
			}
			toks = append(toks, token{kind: kind, text: q[start:i], pos: start})
		case c == '\'':
			s, end, err := lexQuoted(q, i, '\'')
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: s, pos: i})
			i = end
		case c == '"':
			s, end, err := lexQuoted(q, i, '"')
			if err != nil {
				return nil, err
			}
			if s == "" {
				return nil, errorAt(q, i, `"" is an empty name`)
			}
			toks = append(toks, token{kind: tokQuotedIdent, text: s, pos: i})
			i = end
		default:
			op := ""
			for _, two := range []string{"<=", ">=", "<>", "!=", "==", "||", "<<", ">>"} {
				if strings.HasPrefix(q[i:], two) {
					op = two
					break
				}
			}
			if op == "" && strings.IndexByte("=<>(),*-+/%.&|~", c) >= 0 {
				op = q[i : i+1]
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(q[i:])
				return nil, errorAt(q, i, fmt.Sprintf("unexpected character %q", r))
			}
			switch op {
			case "(":
				depth++
				if depth == len(fromAt) {
					fromAt = append(fromAt, false)
				}
				fromAt[depth] = false
			case ")":
				fromAt[depth] = false
				if depth > 0 {
					depth--
				}
			}
			toks = append(toks, token{kind: tokOp, text: op, pos: i})
			i += len(op)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(q)}), nil
}

// lexQuoted reads a quoted literal starting at q[start] == quote; a doubled
// quote stands for one quote character.
func lexQuoted(q string, start int, quote byte) (string, int, error) {
	// Most literals hold no doubled quote: their text is a slice of q,
	// where building it byte by byte took an allocation per doubling (a
	// ciphertext constant's 48 hex digits: four).
	if n := strings.IndexByte(q[start+1:], quote); n >= 0 {
		end := start + 1 + n
		if end+1 >= len(q) || q[end+1] != quote {
			return q[start+1 : end], end + 1, nil
		}
	}
	var b strings.Builder
	i := start + 1
	for i < len(q) {
		if q[i] == quote {
			if i+1 < len(q) && q[i+1] == quote {
				b.WriteByte(quote)
				i += 2
				continue
			}
			return b.String(), i + 1, nil
		}
		b.WriteByte(q[i])
		i++
	}
	return "", 0, errorAt(q, start, fmt.Sprintf("unterminated %c…%c literal", quote, quote))
}

func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

func isHex(r rune) bool {
	return (r >= '0' && r <= '9') || (r|0x20 >= 'a' && r|0x20 <= 'f')
}

// errorAt builds an Error with line and column computed from the offset.
func errorAt(q string, offset int, msg string) *Error {
	if offset > len(q) {
		offset = len(q)
	}
	if offset < 0 {
		offset = 0
	}
	line, col := 1, 1
	for _, r := range q[:offset] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &Error{Offset: offset, Line: line, Column: col, Msg: msg}
}

// ErrorAt is errorAt for later stages (the planner) that point at a place
// in the query text.
func ErrorAt(q string, offset int, format string, args ...any) *Error {
	return errorAt(q, offset, fmt.Sprintf(format, args...))
}
