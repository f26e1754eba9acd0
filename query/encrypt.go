package query

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/sql"
)

// EncryptQuery rewrites the constants a query compares with encrypted
// columns (=, !=, <, <=, >, >=, IN, BETWEEN, IS) into their ciphertexts
// (X'…'), so the node can match them without seeing the plaintext;
// constants of plaintext columns are left alone. The names are resolved as
// the node resolves them (aliases, qualified names, subqueries), for a
// query that reads one dataset of this schema.
//
// A constant the column's type cannot hold exactly is not rounded: the
// comparison is rewritten to an exact one on the column's values — an
// int64 beyond 2^53 compared with a float64 column, a fraction compared
// with an int64 column, a TIMESTAMP finer than a microsecond:
//
//	col < L, col <= L   →  col <= (the largest value below L)
//	col > L, col >= L   →  col >= (the smallest value above L)
//	col = L             →  col != col   (NULL or false, as col = L is)
//	col != L            →  col = col    (NULL or true)
//
// (and likewise for IN, BETWEEN and IS), so an encrypted column answers
// exactly what the plaintext column would.
func EncryptQuery(q string, schema *dataset.Schema, c *colcrypt.Cipher) (string, error) {
	if !textMayNameEncrypted(q, schema) {
		return q, nil
	}
	st, err := sql.Parse(q)
	if err != nil {
		return "", err
	}
	if !hasPlainLiteral(st) {
		// No constant to encrypt (see encryptQuery), so no table to
		// bind against either: building one (validating the schema,
		// hashing a path) cost a top 10 by an encrypted column's client
		// half its time in EncryptQuery.
		return q, nil
	}
	t, err := newTable(dataset.Path{Name: "dataset"}, *schema)
	if err != nil {
		return "", err
	}
	out, _, err := encryptQuery(q, st, anyName{t}, map[*Table]*colcrypt.Cipher{t: c}, false)
	return out, err
}

// ClientDataset is a dataset a subscriber's query reads, as its client
// knows it: the path, the schema of the certified version asked for, and
// the column keys (nil if none of its columns is encrypted).
type ClientDataset struct {
	Path   dataset.Path
	Schema *dataset.Schema
	Cipher *colcrypt.Cipher
}

// EncryptQueryDatasets is EncryptQuery for a query that joins several
// datasets: each constant is encrypted with the keys of the dataset whose
// column it is compared with. Names in FROM resolve as the node resolves
// them (bare name or path); two datasets of one bare name need paths. A
// comparison of encrypted columns of two datasets is refused: each
// dataset's columns are encrypted under its own keys.
func EncryptQueryDatasets(q string, ds []ClientDataset) (string, error) {
	may := false
	for _, d := range ds {
		may = may || textMayNameEncrypted(q, d.Schema)
	}
	if !may {
		return q, nil
	}
	var cat tableSet
	ciphers := map[*Table]*colcrypt.Cipher{}
	for _, d := range ds {
		t, err := newTable(d.Path, *d.Schema)
		if err != nil {
			return "", err
		}
		cat = append(cat, t)
		ciphers[t] = d.Cipher
	}
	st, err := sql.Parse(q)
	if err != nil {
		return "", err
	}
	out, _, err := encryptQuery(q, st, cat, ciphers, true)
	return out, err
}

// encryptQuery rewrites the constants of q, parsed as st; bindAlways binds
// a query even with no constant to encrypt, so the client refuses what the
// binder refuses before sending it (a join comparing encrypted columns of
// two datasets). The rewriter is nil when q is sent as written.
func encryptQuery(q string, st *sql.Statement, cat Catalog, ciphers map[*Table]*colcrypt.Cipher, bindAlways bool) (string, *rewriter, error) {
	if !mayMeetEncrypted(st, ciphers) || (!bindAlways && !hasPlainLiteral(st)) {
		// Nothing to rewrite: the node checks the query as it would
		// have been sent anyway. (Binding and printing cost a point
		// lookup's client a third of its time, a top-10 by an
		// encrypted column's a quarter.) Without a literal the query
		// holds no constant to encrypt: what the binder would refuse
		// here (an encrypted column compared with an expression) the
		// node refuses.
		return q, nil, nil
	}
	cr := &clientRewrite{refs: map[*sql.ColumnRef]typ{}}
	b := &binder{q: q, cat: cat, client: cr}
	if _, err := b.bindSelect(st.Query, nil); err != nil {
		return "", nil, err
	}
	rw := &rewriter{refs: cr.refs, ciphers: ciphers}
	rw.sel(st.Query)
	if rw.err != nil {
		return "", nil, rw.err
	}
	return st.String(), rw, nil
}

// DecryptResult decrypts the cells of encrypted output columns in place.
func DecryptResult(res *Result, schema *dataset.Schema, c *colcrypt.Cipher) error {
	return decryptResult(res, func(ResultColumn) (*dataset.Schema, *colcrypt.Cipher, error) { return schema, c, nil })
}

// DecryptResultDatasets decrypts the cells of encrypted output columns of
// a query that read the datasets ds, each with its dataset's keys.
func DecryptResultDatasets(res *Result, ds []ClientDataset) error {
	return decryptResult(res, func(rc ResultColumn) (*dataset.Schema, *colcrypt.Cipher, error) {
		if rc.Dataset == "" && len(ds) == 1 {
			return ds[0].Schema, ds[0].Cipher, nil
		}
		p, err := dataset.ParsePath(rc.Dataset)
		if err != nil {
			return nil, nil, fmt.Errorf("result column %q: its dataset %q: %w", rc.Name, rc.Dataset, err)
		}
		for _, d := range ds {
			if d.Path == p {
				if d.Cipher == nil {
					return nil, nil, fmt.Errorf("result column %q is encrypted in %s, and no column keys of it were given", rc.Name, p)
				}
				return d.Schema, d.Cipher, nil
			}
		}
		return nil, nil, fmt.Errorf("result column %q comes from %s, which the query did not ask for", rc.Name, p)
	})
}

func decryptResult(res *Result, keysOf func(ResultColumn) (*dataset.Schema, *colcrypt.Cipher, error)) error {
	for j, rc := range res.Columns {
		if rc.Encryption == dataset.EncNone {
			continue
		}
		schema, c, err := keysOf(rc)
		if err != nil {
			return err
		}
		i := schema.ColumnIndex(rc.Source)
		if i < 0 {
			return fmt.Errorf("result column %q decrypts as unknown column %q", rc.Name, rc.Source)
		}
		if n, err := c.DecryptColumn(schema.Columns[i], res.Rows, j); err != nil {
			if n < 0 {
				return fmt.Errorf("result column %q: %w", rc.Name, err)
			}
			return fmt.Errorf("result row %d, column %q: %w", n, rc.Name, err)
		}
		res.Columns[j].Encryption = dataset.EncNone
		res.Columns[j].Source = ""
		res.Columns[j].Dataset = ""
	}
	return nil
}

// textMayNameEncrypted is a test on the query's text, cheaper than
// parsing it, that is true whenever mayMeetEncrypted could be: when false,
// no constant of q can meet an encrypted column of schema and the query is
// sent as written (the node parses it and reports any syntax error). A
// column reference names a column in any case (strings.EqualFold), and
// column names are ASCII letters, digits and _, so a reference to an
// encrypted column in ASCII text, bare or double-quoted, contains the
// column's lower-cased name once the text is lower-cased; text with any
// other byte is not judged here. A subquery or derived table, which could
// bring a column in through a star, needs a second SELECT. Names inside
// string literals or comments only make the test say true.
func textMayNameEncrypted(q string, schema *dataset.Schema) bool {
	if !schema.HasEncryptedColumns() {
		return false
	}
	var buf [256]byte
	lower := buf[:0]
	if len(q) > len(buf) {
		lower = make([]byte, 0, len(q))
	}
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c >= utf8.RuneSelf {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	if bytes.Count(lower, []byte("select")) > 1 {
		return true
	}
	for _, c := range schema.Columns {
		if c.Encryption != dataset.EncNone && containsFold(lower, c.Name) {
			return true
		}
	}
	return false
}

// containsFold reports whether lower (lower-cased ASCII) contains name
// (ASCII) in any case.
func containsFold(lower []byte, name string) bool {
	for i := 0; i+len(name) <= len(lower); i++ {
		j := 0
		for j < len(name) {
			c := name[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if lower[i+j] != c {
				break
			}
			j++
		}
		if j == len(name) {
			return true
		}
	}
	return false
}

// mayMeetEncrypted reports whether a constant of st may be compared with
// an encrypted column, so the query needs binding and rewriting: some
// column reference names an encrypted column of one of the tables (by
// name, in any case — conservative), or a subquery or derived table could
// bring one in through a star.
func mayMeetEncrypted(st *sql.Statement, ciphers map[*Table]*colcrypt.Cipher) bool {
	var enc []string
	for t := range ciphers {
		for _, c := range t.Schema.Columns {
			if c.Encryption != dataset.EncNone {
				enc = append(enc, c.Name)
			}
		}
	}
	if len(enc) == 0 {
		return false
	}
	found := false
	sql.WalkSelect(st.Query, func(e sql.Expr) {
		switch x := e.(type) {
		case *sql.ColumnRef:
			for _, name := range enc {
				found = found || strings.EqualFold(x.Name, name)
			}
		case *sql.Subquery, *sql.Exists:
			found = true
		case *sql.In:
			found = found || x.Sub != nil
		}
	})
	for _, c := range st.Query.Cores {
		found = found || hasDerived(c.From)
	}
	return found
}

// hasPlainLiteral reports whether st holds a literal the rewriter could
// encrypt (plainLiteral) anywhere it looks: select items, FROM's derived
// tables and ON, WHERE, GROUP BY, HAVING, ORDER BY and subqueries. LIMIT
// and OFFSET are counts, not expressions.
func hasPlainLiteral(st *sql.Statement) bool {
	found := false
	sql.WalkSelect(st.Query, func(e sql.Expr) {
		if l, ok := e.(*sql.Literal); ok {
			_, plain := plainLiteral(l)
			found = found || plain
		}
	})
	return found
}

func hasDerived(t sql.TableExpr) bool {
	switch x := t.(type) {
	case *sql.DerivedTable:
		return true
	case *sql.Join:
		return hasDerived(x.Left) || hasDerived(x.Right)
	}
	return false
}

// anyName resolves every name to one table (the client knows the schema
// of the dataset it asks; the node checks the names).
type anyName struct{ t *Table }

func (c anyName) Lookup(string) (CatalogEntry, error) { return CatalogEntry{Table: c.t}, nil }

// clientRewrite collects, while binding on the client, the type each
// column reference resolved to.
type clientRewrite struct {
	refs map[*sql.ColumnRef]typ
}

// note accepts a plaintext constant compared with an encrypted column if
// it is a literal the client can encrypt.
func (c *clientRewrite) note(b *binder, src *encSource, op string, e sql.Expr) error {
	if _, ok := e.(*sql.Literal); !ok {
		return b.errAt(e.Pos(), "column %q is encrypted: write the value compared with it as a literal, which the client encrypts (not %s)", src.column().Name, e)
	}
	return nil
}

type rewriter struct {
	refs    map[*sql.ColumnRef]typ
	ciphers map[*Table]*colcrypt.Cipher
	err     error
	// made are the ciphertext constants written, each with the literal
	// it encrypts; reshaped is set once a comparison was rewritten into
	// another, for a constant its column's type cannot hold exactly.
	made     []madeConstant
	reshaped bool
}

// madeConstant is a ciphertext constant the rewriter wrote in place of
// the literal from, compared with src's column.
type madeConstant struct {
	src  *encSource
	from *sql.Literal
	out  *sql.Literal
}

func (r *rewriter) sel(s *sql.Select) {
	for _, c := range s.Cores {
		for i := range c.Items {
			if c.Items[i].Expr != nil {
				c.Items[i].Expr = r.expr(c.Items[i].Expr)
			}
		}
		r.table(c.From)
		c.Where = r.expr(c.Where)
		for i := range c.GroupBy {
			c.GroupBy[i] = r.expr(c.GroupBy[i])
		}
		c.Having = r.expr(c.Having)
	}
	for i := range s.OrderBy {
		s.OrderBy[i].Expr = r.expr(s.OrderBy[i].Expr)
	}
}

func (r *rewriter) table(t sql.TableExpr) {
	switch x := t.(type) {
	case *sql.DerivedTable:
		r.sel(x.Select)
	case *sql.Join:
		r.table(x.Left)
		r.table(x.Right)
		x.On = r.expr(x.On)
	}
}

// encCol is the encrypted column e reads directly, if it does.
func (r *rewriter) encCol(e sql.Expr) *encSource {
	ref, ok := e.(*sql.ColumnRef)
	if !ok {
		return nil
	}
	t, ok := r.refs[ref]
	if !ok || t.enc == dataset.EncNone {
		return nil
	}
	return t.src
}

func plainLiteral(e sql.Expr) (*sql.Literal, bool) {
	l, ok := e.(*sql.Literal)
	return l, ok && !l.Value.IsNull() && l.Value.Kind != dataset.TypeBytes
}

func (r *rewriter) expr(e sql.Expr) sql.Expr {
	if e == nil || r.err != nil {
		return e
	}
	switch x := e.(type) {
	case *sql.Compare:
		x.L, x.R = r.expr(x.L), r.expr(x.R)
		col, lit, op := x.L, x.R, x.Op
		if r.encCol(col) == nil {
			col, lit, op = x.R, x.L, flip(x.Op)
		}
		src := r.encCol(col)
		l, ok := plainLiteral(lit)
		if src == nil || !ok {
			return x
		}
		return r.comparison(col, src, op, l)
	case *sql.Is:
		x.L, x.R = r.expr(x.L), r.expr(x.R)
		col, lit := x.L, x.R
		if r.encCol(col) == nil {
			col, lit = x.R, x.L
		}
		src := r.encCol(col)
		l, ok := plainLiteral(lit)
		if src == nil || !ok {
			return x
		}
		v, exact, _, _ := r.convert(src, l)
		if r.err != nil {
			return x
		}
		if !exact { // col IS L never holds, even for NULL
			return &sql.Literal{Value: dataset.Bool(x.Not), Offset: x.Pos()}
		}
		return &sql.Is{L: col, R: r.cipherLiteral(src, v, l), Not: x.Not}
	case *sql.Between:
		x.X, x.Lo, x.Hi = r.expr(x.X), r.expr(x.Lo), r.expr(x.Hi)
		src := r.encCol(x.X)
		_, ok1 := plainLiteral(x.Lo)
		_, ok2 := plainLiteral(x.Hi)
		if src == nil || !(ok1 || ok2) {
			return x
		}
		var both sql.Expr = &sql.And{
			L: r.side(x.X, src, sql.GreaterEqual, x.Lo),
			R: r.side(x.X, src, sql.LessEqual, x.Hi),
		}
		if x.Not {
			both = &sql.Not{X: both, Offset: x.Pos()}
		}
		return both
	case *sql.In:
		x.X = r.expr(x.X)
		for i := range x.List {
			x.List[i] = r.expr(x.List[i])
		}
		if x.Sub != nil {
			r.sel(x.Sub)
		}
		src := r.encCol(x.X)
		if src == nil || x.Sub != nil {
			return x
		}
		var keep []sql.Expr
		for _, item := range x.List {
			l, ok := plainLiteral(item)
			if !ok {
				keep = append(keep, item)
				continue
			}
			v, exact, _, _ := r.convert(src, l)
			if r.err != nil {
				return x
			}
			if exact { // an inexact item equals nothing: drop it
				keep = append(keep, r.cipherLiteral(src, v, l))
			}
		}
		if len(keep) == 0 && len(x.List) > 0 {
			// Nothing can match: NULL for a NULL column, as before.
			at := &sql.Literal{Value: dataset.Null, Offset: x.Pos()}
			if x.Not {
				return r.always(x.X, src, at)
			}
			return r.never(x.X, src, at)
		}
		x.List = keep
		return x
	case *sql.Subquery:
		r.sel(x.Select)
		return x
	case *sql.Exists:
		r.sel(x.Select)
		return x
	case *sql.And:
		x.L, x.R = r.expr(x.L), r.expr(x.R)
	case *sql.Or:
		x.L, x.R = r.expr(x.L), r.expr(x.R)
	case *sql.Not:
		x.X = r.expr(x.X)
	case *sql.IsNull:
		x.X = r.expr(x.X)
	case *sql.Binary:
		x.L, x.R = r.expr(x.L), r.expr(x.R)
	case *sql.Unary:
		x.X = r.expr(x.X)
	case *sql.Like:
		x.X, x.Pattern, x.Escape = r.expr(x.X), r.expr(x.Pattern), r.expr(x.Escape)
	case *sql.Case:
		x.Operand = r.expr(x.Operand)
		for i := range x.Whens {
			x.Whens[i].Cond = r.expr(x.Whens[i].Cond)
			x.Whens[i].Result = r.expr(x.Whens[i].Result)
		}
		x.Else = r.expr(x.Else)
	case *sql.Cast:
		x.X = r.expr(x.X)
	case *sql.Call:
		for i := range x.Args {
			x.Args[i] = r.expr(x.Args[i])
		}
	}
	return e
}

// side is col op e for one bound of a BETWEEN.
func (r *rewriter) side(col sql.Expr, src *encSource, op sql.CompareOp, e sql.Expr) sql.Expr {
	if l, ok := plainLiteral(e); ok {
		return r.comparison(col, src, op, l)
	}
	return &sql.Compare{Op: op, L: col, R: e}
}

// comparison rewrites col op l exactly, with l encrypted.
func (r *rewriter) comparison(col sql.Expr, src *encSource, op sql.CompareOp, l *sql.Literal) sql.Expr {
	v, exact, below, above := r.convert(src, l)
	if r.err != nil {
		return &sql.Compare{Op: op, L: col, R: l}
	}
	if exact {
		return &sql.Compare{Op: op, L: col, R: r.cipherLiteral(src, v, l)}
	}
	switch op {
	case sql.Equal:
		return r.never(col, src, l)
	case sql.NotEqual:
		return r.always(col, src, l)
	case sql.Less, sql.LessEqual:
		if below == nil {
			return r.never(col, src, l)
		}
		return &sql.Compare{Op: sql.LessEqual, L: col, R: r.cipherLiteral(src, *below, l)}
	default:
		if above == nil {
			return r.never(col, src, l)
		}
		return &sql.Compare{Op: sql.GreaterEqual, L: col, R: r.cipherLiteral(src, *above, l)}
	}
}

// never is a condition on col that is NULL for NULL and false otherwise:
// col != col, or for an order-revealing column (whose cells compare only
// with constants) col < the column type's smallest value.
func (r *rewriter) never(col sql.Expr, src *encSource, at *sql.Literal) sql.Expr {
	if c := src.column(); c.Encryption == dataset.EncOrderRevealing {
		return &sql.Compare{Op: sql.Less, L: col, R: r.cipherLiteral(src, oreLeast(c), at)}
	}
	return &sql.Compare{Op: sql.NotEqual, L: col, R: col}
}

// always is NULL for NULL and true otherwise, as never is.
func (r *rewriter) always(col sql.Expr, src *encSource, at *sql.Literal) sql.Expr {
	if c := src.column(); c.Encryption == dataset.EncOrderRevealing {
		return &sql.Compare{Op: sql.GreaterEqual, L: col, R: r.cipherLiteral(src, oreLeast(c), at)}
	}
	return &sql.Compare{Op: sql.Equal, L: col, R: col}
}

// oreLeast is the smallest value of an order-revealing column's type: the
// smallest int64 or timestamp, or −Inf (NaN sorts after every number).
func oreLeast(c dataset.Column) dataset.Value {
	if c.Type == dataset.TypeFloat64 {
		return dataset.Float64(math.Inf(-1))
	}
	return dataset.Value{Kind: c.Type, Int: math.MinInt64}
}

func (r *rewriter) cipherLiteral(src *encSource, v dataset.Value, at *sql.Literal) sql.Expr {
	c := r.ciphers[src.table]
	if c == nil {
		if r.err == nil {
			r.err = fmt.Errorf("constant %s for column %q: %s encrypts it, and no column keys of that dataset were given", at, src.column().Name, src.table.Path)
		}
		return at
	}
	// A constant for an order-revealing column is a left ciphertext,
	// which compares with the stored (right) ones.
	ct, err := c.EncryptConstant(src.column(), v)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("constant %s for column %q: %w", at, src.column().Name, err)
	}
	out := &sql.Literal{Value: ct, Offset: at.Offset}
	r.made = append(r.made, madeConstant{src: src, from: at, out: out})
	return out
}

// convert turns a literal into a value of the column's type. When the type
// cannot hold it exactly, exact is false and below/above are the nearest
// values of the type on either side (nil past the type's range).
func (r *rewriter) convert(src *encSource, l *sql.Literal) (v dataset.Value, exact bool, below, above *dataset.Value) {
	defer func() { r.reshaped = r.reshaped || !exact }()
	col := src.column()
	lv := l.Value
	fail := func() {
		if r.err == nil {
			r.err = fmt.Errorf("a %s constant (%s) cannot be compared with the %s column %q", kindName(lv.Kind), l, col.Type, col.Name)
		}
	}
	switch col.Type {
	case dataset.TypeInt64, dataset.TypeTimestamp:
		mk := func(i int64) dataset.Value { return dataset.Value{Kind: col.Type, Int: i} }
		switch lv.Kind {
		case dataset.TypeInt64, dataset.TypeTimestamp:
			if l.SubMicros == 0 {
				return mk(lv.Int), true, nil, nil
			}
			lo := mk(lv.Int) // the literal is lv.Int plus a fraction
			if lv.Int == math.MaxInt64 {
				return v, false, &lo, nil
			}
			hi := mk(lv.Int + 1)
			return v, false, &lo, &hi
		case dataset.TypeFloat64:
			f := lv.Float
			switch {
			case math.IsNaN(f):
				fail()
				return
			case f == math.Trunc(f) && f >= -0x1p63 && f < 0x1p63:
				return mk(int64(f)), true, nil, nil
			case f >= 0x1p63:
				hi := mk(math.MaxInt64)
				return v, false, &hi, nil
			case f < -0x1p63:
				lo := mk(math.MinInt64)
				return v, false, nil, &lo
			}
			lo, hi := mk(int64(math.Floor(f))), mk(int64(math.Ceil(f)))
			return v, false, &lo, &hi
		}
	case dataset.TypeFloat64:
		switch lv.Kind {
		case dataset.TypeFloat64:
			return lv, true, nil, nil
		case dataset.TypeInt64:
			f := float64(lv.Int)
			switch c := compareIntFloat(lv.Int, f); {
			case c == 0:
				return dataset.Float64(f), true, nil, nil
			case c < 0: // f is above the integer
				lo, hi := dataset.Float64(math.Nextafter(f, math.Inf(-1))), dataset.Float64(f)
				return v, false, &lo, &hi
			default:
				lo, hi := dataset.Float64(f), dataset.Float64(math.Nextafter(f, math.Inf(1)))
				return v, false, &lo, &hi
			}
		}
	default:
		if lv.Kind == col.Type {
			return lv, true, nil, nil
		}
	}
	fail()
	return
}
