package sql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on what Parse accepts.
const (
	MaxQueryLength = 64 << 10
	MaxDepth       = 64
	MaxInList      = 1024
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

var keywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "BY": true, "ORDER": true,
	"ASC": true, "DESC": true, "LIMIT": true, "OFFSET": true, "AND": true, "OR": true,
	"NOT": true, "IN": true, "BETWEEN": true, "IS": true, "NULL": true, "TRUE": true,
	"FALSE": true, "AS": true, "EXPLAIN": true, "TIMESTAMP": true,
}

// lex splits the query into tokens.
func lex(q string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case len(toks) > 0 && toks[len(toks)-1].kind == tokKeyword && toks[len(toks)-1].text == "FROM" && (isIdentPart(c)):
			// A bare dataset name or path after FROM may hold '-', '.' and '/'.
			start := i
			for i < len(q) && (isIdentPart(q[i]) || q[i] == '-' || q[i] == '.' || q[i] == '/') {
				i++
			}
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
			toks = append(toks, token{kind: tokQuotedIdent, text: s, pos: i})
			i = end
		default:
			op := ""
			for _, two := range []string{"<=", ">=", "<>", "!="} {
				if strings.HasPrefix(q[i:], two) {
					op = two
				}
			}
			if op == "" && strings.IndexByte("=<>(),*-+", c) >= 0 {
				op = q[i : i+1]
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(q[i:])
				return nil, errorAt(q, i, fmt.Sprintf("unexpected character %q", r))
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
