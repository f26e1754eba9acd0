package sql

import (
	"encoding/binary"
	"fmt"
)

// LiteralToken is where a literal token (a number, a string, X'…') lies in
// a query's text, q[Pos:End]. Before is the position of the token before it
// (-1 if none): a literal that starts there (a minus before a number,
// TIMESTAMP before a string) spans q[Before:End].
type LiteralToken struct {
	Before, Pos, End int
}

// Shape lexes q and appends its shape to key: its tokens, each literal
// token reduced to its kind (integer, float, string, blob), so that two
// queries with one shape differ in their literals' text only and parse to
// the same tree with other literal values. lits receives the literal
// tokens, in order. A client that rewrites the constants of many queries of
// one shape (query.QueryEncrypter) looks them up by it.
func Shape(q string, key []byte, lits []LiteralToken) ([]byte, []LiteralToken, error) {
	if err := checkLength(q); err != nil {
		return key, lits, err
	}
	toks, err := lex(q)
	if err != nil {
		return key, lits, err
	}
	for i, t := range toks {
		key = append(key, byte(t.kind))
		switch t.kind {
		case tokInt, tokFloat, tokString, tokHex:
			before := -1
			if i > 0 {
				before = toks[i-1].pos
			}
			lits = append(lits, LiteralToken{Before: before, Pos: t.pos, End: t.pos + tokenLength(q, t)})
		default:
			key = binary.AppendUvarint(key, uint64(len(t.text)))
			key = append(key, t.text...)
		}
	}
	return key, lits, nil
}

// ParseLiteral parses text that holds one literal as Parse reads it in an
// expression: a number (with a minus before it, or not), a string, X'…',
// TIMESTAMP '…', TRUE, FALSE or NULL.
func ParseLiteral(text string) (*Literal, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{q: text, toks: toks, implicitAlias: -1}
	e, err := p.unary()
	if err != nil {
		return nil, err
	}
	l, ok := e.(*Literal)
	if !ok {
		return nil, errorAt(text, 0, fmt.Sprintf("%s is not a literal", text))
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected %s after the literal", t.describe())
	}
	return l, nil
}
