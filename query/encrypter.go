package query

import (
	"encoding/hex"
	"slices"
	"strings"
	"sync"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

// A QueryEncrypter is EncryptQuery for the many queries a client sends to
// one dataset: the dataset's table is built once, and the rewrite of each
// query shape (sql.Shape: the query with its literals' values left out)
// is remembered, so the next query of that shape with other constants is
// rewritten without parsing or binding it: its constants are read from
// their tokens, converted and encrypted, and written into the remembered
// text. A point lookup by an encrypted column's client then costs the
// constant's encryption and little else (~11 → ~5 µs).
//
// INVARIANT: Encrypt returns exactly what EncryptQuery returns for the
// same query (TestQueryEncrypterMatchesEncryptQuery). A query's tree and
// its binding depend on its literals' kinds, which its shape fixes (an
// integer token is an int64, a string after TIMESTAMP a timestamp), not on
// their values, except where a constant is rewritten: a shape is
// remembered only when each encrypted constant became one ciphertext in
// place, and is reused only when the query repeats every other literal's
// text and each of its encrypted constants parses and converts exactly to
// its column's type. Any other query takes the full rewrite.
//
// A QueryEncrypter is safe for concurrent use.
type QueryEncrypter struct {
	table   *Table
	cipher  *colcrypt.Cipher
	ciphers map[*Table]*colcrypt.Cipher

	mu     sync.Mutex
	shapes map[string]*queryShape
	bytes  int // the shapes' sizes
}

// maxQueryShapes and maxShapeBytes bound what a QueryEncrypter remembers
// (a shape holds on to its query's text, its rewrite's and its key); when
// either is reached it forgets every shape and learns again the ones in
// use.
const (
	maxQueryShapes = 256
	maxShapeBytes  = 1 << 20
)

// NewQueryEncrypter returns a QueryEncrypter for queries on a dataset of
// this schema, with its column keys c.
func NewQueryEncrypter(schema *dataset.Schema, c *colcrypt.Cipher) (*QueryEncrypter, error) {
	t, err := newTable(dataset.Path{Name: "dataset"}, *schema)
	if err != nil {
		return nil, err
	}
	return &QueryEncrypter{table: t, cipher: c, ciphers: map[*Table]*colcrypt.Cipher{t: c}, shapes: map[string]*queryShape{}}, nil
}

// Cipher returns the column keys the encrypter encrypts constants with,
// which decrypt the results of its queries.
func (e *QueryEncrypter) Cipher() *colcrypt.Cipher { return e.cipher }

// Encrypt rewrites q's constants as EncryptQuery does.
func (e *QueryEncrypter) Encrypt(q string) (string, error) {
	if !textMayNameEncrypted(q, &e.table.Schema) {
		return q, nil
	}
	var keyBuf [256]byte
	var litBuf [16]sql.LiteralToken
	key, lits, err := sql.Shape(q, keyBuf[:0], litBuf[:0])
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	sh := e.shapes[string(key)]
	e.mu.Unlock()
	if sh != nil {
		if out, ok := sh.fill(q, lits, e.cipher); ok {
			return out, nil
		}
	}
	st, err := sql.Parse(q)
	if err != nil {
		return "", err
	}
	out, rw, err := encryptQuery(q, st, anyName{e.table}, e.ciphers, false)
	switch {
	case err != nil:
		return "", err
	case rw == nil:
		e.remember(key, asWritten(q, lits))
	case !rw.reshaped:
		e.remember(key, newQueryShape(q, lits, out, rw.made))
	}
	return out, nil
}

func (e *QueryEncrypter) remember(key []byte, sh *queryShape) {
	if sh == nil {
		return
	}
	size := len(key) + sh.size
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.shapes) >= maxQueryShapes || e.bytes+size > maxShapeBytes {
		clear(e.shapes)
		e.bytes = 0
	}
	if old := e.shapes[string(key)]; old != nil {
		e.bytes -= len(key) + old.size
	}
	e.shapes[string(key)] = sh
	e.bytes += size
}

// queryShape is the rewrite of one query shape: the rewritten text cut at
// its ciphertext constants.
type queryShape struct {
	// texts[i] is literal token i's text, which a query of this shape
	// must repeat, or "" for a slot's (no literal token is empty).
	texts []string
	// slots are the encrypted constants in the order of the rewritten
	// text, and pieces the text around them (len(slots)+1).
	slots  []shapeSlot
	pieces []string
	// sent is set for a shape whose queries are sent as written (no
	// constant meets an encrypted column): with every literal repeated,
	// such a query is the same tokens as the one that taught the shape.
	sent bool
	// size is the bytes of the texts it holds on to.
	size int
}

// shapeSlot is an encrypted constant of a shape: literal token lit, from
// the token before it (a minus, TIMESTAMP) if fromBefore, compared with
// src's column.
type shapeSlot struct {
	lit        int
	fromBefore bool
	src        *encSource
}

// asWritten is the shape of q, a query sent as written.
func asWritten(q string, lits []sql.LiteralToken) *queryShape {
	sh := &queryShape{texts: make([]string, len(lits)), sent: true, size: len(q)}
	for i, l := range lits {
		sh.texts[i] = q[l.Pos:l.End]
	}
	return sh
}

// newQueryShape cuts out, the rewrite of q, at the ciphertext constants
// made, or returns nil if it cannot tell each one's place in q and in out
// for certain.
func newQueryShape(q string, lits []sql.LiteralToken, out string, made []madeConstant) *queryShape {
	sh := asWritten(q, lits)
	sh.sent, sh.size = false, len(q)+len(out)
	type placed struct {
		slot    shapeSlot
		at, len int // the ciphertext's place in out
	}
	var ps []placed
	for _, m := range made {
		k := slices.IndexFunc(lits, func(l sql.LiteralToken) bool { return l.Pos == m.from.Offset })
		fromBefore := k < 0
		if fromBefore {
			k = slices.IndexFunc(lits, func(l sql.LiteralToken) bool { return l.Before == m.from.Offset })
		}
		if k < 0 || sh.texts[k] == "" {
			return nil
		}
		start := lits[k].Pos
		if fromBefore {
			start = lits[k].Before
		}
		if l, err := sql.ParseLiteral(q[start:lits[k].End]); err != nil || l.String() != m.from.String() {
			return nil
		}
		text := m.out.String()
		at := strings.Index(out, text)
		if at < 0 || strings.Count(out, text) != 1 {
			return nil
		}
		sh.texts[k] = ""
		ps = append(ps, placed{shapeSlot{lit: k, fromBefore: fromBefore, src: m.src}, at, len(text)})
	}
	slices.SortFunc(ps, func(a, b placed) int { return a.at - b.at })
	end := 0
	for _, p := range ps {
		sh.slots = append(sh.slots, p.slot)
		sh.pieces = append(sh.pieces, out[end:p.at])
		end = p.at + p.len
	}
	sh.pieces = append(sh.pieces, out[end:])
	return sh
}

// fill rewrites q, a query of this shape, or reports false if the shape's
// rewrite does not hold for it.
func (sh *queryShape) fill(q string, lits []sql.LiteralToken, c *colcrypt.Cipher) (string, bool) {
	for i, text := range sh.texts {
		if text != "" && q[lits[i].Pos:lits[i].End] != text {
			return "", false
		}
	}
	if sh.sent {
		return q, true
	}
	var hexBuf [3 + 2*colcrypt.OPECellSize]byte
	var b strings.Builder
	n := 0
	for _, p := range sh.pieces {
		n += len(p)
	}
	b.Grow(n + len(sh.slots)*len(hexBuf))
	var r rewriter
	for i, s := range sh.slots {
		start := lits[s.lit].Pos
		if s.fromBefore {
			start = lits[s.lit].Before
		}
		l, err := sql.ParseLiteral(q[start:lits[s.lit].End])
		if err != nil {
			return "", false
		}
		v, exact, _, _ := r.convert(s.src, l)
		if r.err != nil || !exact {
			return "", false
		}
		ct, err := c.EncryptConstant(s.src.column(), v)
		if err != nil {
			return "", false
		}
		b.WriteString(sh.pieces[i])
		b.WriteString("X'") // as sql.FormatLiteral writes ct, a blob
		b.Write(hex.AppendEncode(hexBuf[:0], ct.Bytes))
		b.WriteByte('\'')
	}
	b.WriteString(sh.pieces[len(sh.slots)])
	return b.String(), true
}
