package slt

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/sql"
)

// database is the runner's model of the SQL database a test file builds:
// its tables' definitions and rows (the truth the datasets are loaded
// from) and its views.
type database struct {
	store  *query.Store
	tables map[string]*table
	views  map[string]*sql.Select
	gen    int
	err    error // a failure that makes every later query meaningless
}

type table struct {
	name    string
	cols    []dataset.Column
	pk      []int // schema positions; nil: a hidden rowid is the key
	indexes []dataset.Index
	rows    []dataset.Row // in schema order; with the rowid last when hidden
	rowid   int64
	keys    map[string]int // primary key → position in rows (built on demand)
	dirty   bool
	tainted bool
	ds      *query.Table
}

const rowidName = "rowid"

func newDatabase(s *query.Store) *database {
	return &database{store: s, tables: map[string]*table{}, views: map[string]*sql.Select{}}
}

// Lookup resolves a FROM name (query.Catalog).
func (db *database) Lookup(name string) (query.CatalogEntry, error) {
	key := strings.ToLower(name)
	if v, ok := db.views[key]; ok {
		return query.CatalogEntry{View: v}, nil
	}
	t, ok := db.tables[key]
	if !ok || t.ds == nil {
		return query.CatalogEntry{}, fmt.Errorf("no table %q", name)
	}
	return query.CatalogEntry{Table: t.ds, Hidden: map[string]bool{rowidName: t.pk == nil}}, nil
}

// schema is the table's dataset schema.
func (t *table) schema() dataset.Schema {
	s := dataset.Schema{Columns: append([]dataset.Column(nil), t.cols...), Indexes: t.indexes}
	if t.pk == nil {
		s.Columns = append(s.Columns, dataset.Column{Name: rowidName, Type: dataset.TypeInt64})
		s.PrimaryKey = []string{rowidName}
	} else {
		for _, i := range t.pk {
			s.PrimaryKey = append(s.PrimaryKey, t.cols[i].Name)
		}
	}
	return s
}

// sync loads the changed tables a statement reads as new datasets.
func (db *database) sync(st *sql.Statement) error {
	for _, t := range db.reads(st) {
		if !t.dirty {
			continue
		}
		db.gen++
		path := dataset.Path{Provider: common.HexToAddress("0x5117"), Name: fmt.Sprintf("t%d", db.gen)}
		ds, err := db.store.CreateDataset(path, t.schema())
		if err != nil {
			return fmt.Errorf("table %s: %w", t.name, err)
		}
		for seq := 0; seq*query.MaxBatchRows < len(t.rows) || seq == 0; seq++ {
			chunk := t.rows[seq*query.MaxBatchRows : min(len(t.rows), (seq+1)*query.MaxBatchRows)]
			if len(chunk) == 0 {
				break
			}
			if _, err := db.store.Ingest(query.Batch{Dataset: ds.ID(), RunID: "slt", Seq: uint64(seq), Rows: chunk}); err != nil {
				return fmt.Errorf("load table %s: %w", t.name, err)
			}
		}
		t.ds, t.dirty = ds, false
	}
	return nil
}

// reads lists the tables a statement reads, through views too.
func (db *database) reads(st *sql.Statement) []*table {
	seen := map[string]bool{}
	var out []*table
	var walk func(s *sql.Select)
	walk = func(s *sql.Select) {
		for _, ref := range sql.TableRefs(s) {
			key := strings.ToLower(ref.Name)
			if seen[key] {
				continue
			}
			seen[key] = true
			if t, ok := db.tables[key]; ok {
				out = append(out, t)
			}
			if v, ok := db.views[key]; ok {
				walk(v)
			}
		}
	}
	walk(st.Query)
	return out
}

// tainted names a table the statement reads that the runner could not
// keep faithful, or "".
func (db *database) tainted(st *sql.Statement) string {
	seen := map[string]bool{}
	var check func(s *sql.Select) string
	check = func(s *sql.Select) string {
		for _, ref := range sql.TableRefs(s) {
			key := strings.ToLower(ref.Name)
			if seen[key] {
				continue
			}
			seen[key] = true
			if t, ok := db.tables[key]; ok && t.tainted {
				return t.name
			}
			if v, ok := db.views[key]; ok {
				if bad := check(v); bad != "" {
					return bad
				}
			}
		}
		return ""
	}
	return check(st.Query)
}

// taintFor marks the tables a failed statement would have changed.
func (db *database) taintFor(stmt string) {
	f := strings.Fields(strings.ToUpper(stmt))
	name := ""
	for i, w := range f {
		if (w == "INTO" || w == "FROM" || w == "UPDATE" || w == "TABLE") && i+1 < len(f) {
			name = strings.ToLower(strings.TrimFunc(strings.Fields(stmt)[i+1], func(r rune) bool { return r == '(' || r == ';' }))
			if j := strings.IndexByte(name, '('); j >= 0 {
				name = name[:j]
			}
			break
		}
	}
	if t, ok := db.tables[name]; ok {
		t.tainted = true
		return
	}
	if len(f) > 0 && (f[0] == "CREATE" || f[0] == "DROP") {
		return // a refused CREATE leaves no table to read; a DROP leaves one that still matches
	}
	for _, t := range db.tables {
		t.tainted = true
	}
}

// exec runs a statement.
func (db *database) exec(stmt string) error {
	stmt = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(stmt), ";"))
	p := &ddl{s: stmt}
	switch {
	case p.words("CREATE", "TABLE"):
		return db.createTable(p)
	case p.words("CREATE", "INDEX"), p.words("CREATE", "UNIQUE", "INDEX"):
		return db.createIndex(p)
	case p.words("CREATE", "VIEW"):
		return db.createView(p)
	case p.words("DROP", "TABLE"):
		return db.drop(p, false)
	case p.words("DROP", "VIEW"):
		return db.drop(p, true)
	case p.words("DROP", "INDEX"):
		return db.dropIndex(p)
	case p.words("INSERT", "OR", "REPLACE", "INTO"), p.words("REPLACE", "INTO"):
		return db.insert(p, true)
	case p.words("INSERT", "INTO"):
		return db.insert(p, false)
	case p.words("DELETE", "FROM"):
		return db.delete(p)
	case p.words("UPDATE"):
		return db.update(p)
	case p.words("SELECT"):
		st, err := sql.Parse(stmt)
		if err != nil {
			return err
		}
		if err := db.sync(st); err != nil {
			return err
		}
		_, err = db.store.RunCatalog(context.Background(), stmt, st, db, query.QueryOptions{})
		return err
	}
	return fmt.Errorf("%w: %.40s", errUnsupported, stmt)
}

func (db *database) createTable(p *ddl) error {
	p.words("IF", "NOT", "EXISTS")
	name := strings.ToLower(p.ident())
	if name == "" {
		return fmt.Errorf("CREATE TABLE without a name")
	}
	if _, ok := db.tables[name]; ok {
		return fmt.Errorf("table %s exists", name)
	}
	if !p.punct('(') {
		return fmt.Errorf("%w: CREATE TABLE %s without a column list", errUnsupported, name)
	}
	t := &table{name: name}
	var pkNames []string
	for {
		if p.words("PRIMARY", "KEY") {
			cols, err := p.columnList()
			if err != nil {
				return err
			}
			pkNames = append(pkNames, cols...)
		} else if p.words("UNIQUE") {
			if _, err := p.columnList(); err != nil {
				return err
			}
		} else {
			col := p.ident()
			if col == "" {
				return fmt.Errorf("%w: column definition in %q", errUnsupported, p.s)
			}
			typ := strings.ToUpper(p.ident())
			p.skipParens()
			c := dataset.Column{Name: col, Nullable: true}
			switch {
			case strings.Contains(typ, "INT"):
				c.Type = dataset.TypeInt64
			case strings.Contains(typ, "CHAR"), strings.Contains(typ, "TEXT"), strings.Contains(typ, "CLOB"):
				c.Type = dataset.TypeString
			case strings.Contains(typ, "REAL"), strings.Contains(typ, "FLOA"), strings.Contains(typ, "DOUB"):
				c.Type = dataset.TypeFloat64
			default:
				return fmt.Errorf("%w: column type %q", errUnsupported, typ)
			}
			for {
				switch {
				case p.words("PRIMARY", "KEY"):
					pkNames = append(pkNames, col)
					p.words("ASC")
					p.words("DESC")
				case p.words("NOT", "NULL"):
					c.Nullable = false
				case p.words("NULL"), p.words("UNIQUE"):
				default:
					goto done
				}
			}
		done:
			if dataset.ValidateIdentifier("column", col) != nil {
				return fmt.Errorf("%w: column name %q", errUnsupported, col)
			}
			t.cols = append(t.cols, c)
		}
		if p.punct(',') {
			continue
		}
		if !p.punct(')') {
			return fmt.Errorf("%w: table definition %q", errUnsupported, p.s)
		}
		break
	}
	if !p.end() {
		return fmt.Errorf("%w: table options in %q", errUnsupported, p.s)
	}
	for _, n := range pkNames {
		i := colIndex(t.cols, n)
		if i < 0 {
			return fmt.Errorf("PRIMARY KEY names unknown column %s", n)
		}
		if t.cols[i].Type != dataset.TypeInt64 || len(pkNames) > 1 {
			// SQLite lets such keys hold NULL; the dataset's key may not.
			t.cols[i].Nullable = false
		}
		t.cols[i].Nullable = false
		t.pk = append(t.pk, i)
	}
	for _, c := range t.cols {
		if strings.EqualFold(c.Name, rowidName) && t.pk == nil {
			return fmt.Errorf("%w: a column named rowid", errUnsupported)
		}
	}
	t.dirty = true
	db.tables[name] = t
	return nil
}

func colIndex(cols []dataset.Column, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

func (db *database) createIndex(p *ddl) error {
	p.words("IF", "NOT", "EXISTS")
	name := p.ident()
	if !p.words("ON") {
		return fmt.Errorf("%w: %q", errUnsupported, p.s)
	}
	t, ok := db.tables[strings.ToLower(p.ident())]
	if !ok {
		return fmt.Errorf("CREATE INDEX on an unknown table")
	}
	cols, err := p.columnList()
	if err != nil {
		return err
	}
	ix := dataset.Index{Name: name}
	for _, c := range cols {
		i := colIndex(t.cols, c)
		if i < 0 {
			return fmt.Errorf("index on unknown column %s", c)
		}
		ix.Columns = append(ix.Columns, t.cols[i].Name)
	}
	if len(t.indexes) == dataset.MaxIndexes {
		return nil // the index only speeds queries up
	}
	for _, o := range t.indexes {
		if strings.EqualFold(o.Name, name) {
			return fmt.Errorf("index %s exists", name)
		}
	}
	if dataset.ValidateIdentifier("index", name) != nil {
		return nil
	}
	t.indexes = append(t.indexes, ix)
	t.dirty = true
	return nil
}

func (db *database) dropIndex(p *ddl) error {
	p.words("IF", "EXISTS")
	name := p.ident()
	for _, t := range db.tables {
		for i, ix := range t.indexes {
			if strings.EqualFold(ix.Name, name) {
				t.indexes = append(t.indexes[:i], t.indexes[i+1:]...)
				t.dirty = true
				return nil
			}
		}
	}
	return fmt.Errorf("no index %s", name)
}

func (db *database) createView(p *ddl) error {
	p.words("IF", "NOT", "EXISTS")
	name := strings.ToLower(p.ident())
	if !p.words("AS") {
		return fmt.Errorf("%w: %q", errUnsupported, p.s)
	}
	if _, ok := db.views[name]; ok {
		return fmt.Errorf("view %s exists", name)
	}
	if _, ok := db.tables[name]; ok {
		return fmt.Errorf("%s is a table", name)
	}
	st, err := sql.Parse(p.rest())
	if err != nil {
		return err
	}
	db.views[name] = st.Query
	return nil
}

func (db *database) drop(p *ddl, view bool) error {
	ifExists := p.words("IF", "EXISTS")
	name := strings.ToLower(p.ident())
	if view {
		if _, ok := db.views[name]; !ok {
			if ifExists {
				return nil
			}
			return fmt.Errorf("no view %s", name)
		}
		delete(db.views, name)
		return nil
	}
	if _, ok := db.tables[name]; !ok {
		if ifExists {
			return nil
		}
		return fmt.Errorf("no table %s", name)
	}
	delete(db.tables, name)
	return nil
}

// insert runs INSERT [OR REPLACE] INTO t [(cols)] VALUES (…), … | SELECT ….
func (db *database) insert(p *ddl, replace bool) error {
	name := strings.ToLower(p.ident())
	t, ok := db.tables[name]
	if !ok {
		if _, isView := db.views[name]; isView {
			return fmt.Errorf("cannot insert into view %s", name)
		}
		return fmt.Errorf("no table %s", name)
	}
	targets := make([]int, 0, len(t.cols))
	if p.peekPunct('(') {
		cols, err := p.columnList()
		if err != nil {
			return err
		}
		for _, c := range cols {
			i := colIndex(t.cols, c)
			if i < 0 {
				return fmt.Errorf("no column %s in %s", c, t.name)
			}
			targets = append(targets, i)
		}
	} else {
		for i := range t.cols {
			targets = append(targets, i)
		}
	}
	var values []dataset.Row
	switch {
	case p.words("VALUES"):
		tuples, err := splitTuples(p.rest())
		if err != nil {
			return err
		}
		for _, tup := range tuples {
			res, err := db.eval("SELECT " + tup)
			if err != nil {
				return err
			}
			values = append(values, res.Rows...)
		}
	case p.words("SELECT"):
		res, err := db.eval("SELECT " + p.rest())
		if err != nil {
			return err
		}
		values = res.Rows
	default:
		return fmt.Errorf("%w: %q", errUnsupported, p.s)
	}
	var add []dataset.Row
	for _, v := range values {
		if len(v) != len(targets) {
			return fmt.Errorf("%d values for %d columns", len(v), len(targets))
		}
		row := make(dataset.Row, len(t.cols))
		for j, i := range targets {
			cv, err := affinity(t.cols[i], v[j])
			if err != nil {
				return err
			}
			row[i] = cv
		}
		for i, c := range t.cols {
			if !c.Nullable && row[i].IsNull() {
				if len(t.pk) == 1 && t.pk[0] == i && c.Type == dataset.TypeInt64 {
					row[i] = dataset.Int64(t.nextKey()) // INTEGER PRIMARY KEY is the rowid
					continue
				}
				return fmt.Errorf("NOT NULL constraint failed: %s.%s", t.name, c.Name)
			}
		}
		add = append(add, row)
	}
	for _, row := range add {
		if err := t.put(row, replace); err != nil {
			return err
		}
	}
	t.dirty = true
	return nil
}

func (t *table) nextKey() int64 {
	m := int64(0)
	for _, r := range t.rows {
		m = max(m, r[t.pk[0]].Int)
	}
	return m + 1
}

// put adds a row, replacing a row with the same key when replace is set
// and refusing it otherwise.
func (t *table) put(row dataset.Row, replace bool) error {
	if t.pk == nil {
		t.rowid++
		t.rows = append(t.rows, append(row, dataset.Int64(t.rowid)))
		return nil
	}
	if t.keys == nil {
		t.keys = make(map[string]int, len(t.rows))
		for n, r := range t.rows {
			t.keys[t.keyOf(r)] = n
		}
	}
	k := t.keyOf(row)
	if n, dup := t.keys[k]; dup {
		if !replace {
			return fmt.Errorf("UNIQUE constraint failed: %s primary key", t.name)
		}
		t.rows[n] = row
		return nil
	}
	t.keys[k] = len(t.rows)
	t.rows = append(t.rows, row)
	return nil
}

// affinity converts a value as SQLite stores it in a column of that type,
// or refuses a value the column's type cannot hold.
func affinity(c dataset.Column, v dataset.Value) (dataset.Value, error) {
	if v.IsNull() {
		return v, nil
	}
	if v.Kind == dataset.TypeBool {
		v = dataset.Int64(v.Int)
	}
	switch c.Type {
	case dataset.TypeInt64:
		switch v.Kind {
		case dataset.TypeInt64:
			return v, nil
		case dataset.TypeFloat64:
			if v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 0x1p63 {
				return dataset.Int64(int64(v.Float)), nil
			}
		case dataset.TypeString:
			n := query.TextToNumeric(string(v.Bytes))
			if n.Kind == dataset.TypeInt64 && query.NumericText(n) == strings.TrimSpace(string(v.Bytes)) {
				return n, nil
			}
		}
	case dataset.TypeFloat64:
		switch v.Kind {
		case dataset.TypeFloat64:
			return v, nil
		case dataset.TypeInt64:
			return dataset.Float64(float64(v.Int)), nil
		}
	case dataset.TypeString:
		switch v.Kind {
		case dataset.TypeString:
			return v, nil
		case dataset.TypeInt64, dataset.TypeFloat64:
			return dataset.String(query.NumericText(v)), nil
		}
	}
	return v, fmt.Errorf("%w: a %s value in %s column %s (SQLite would store it as it is)", errUnsupported, v.Kind, c.Type, c.Name)
}

// eval runs a query over the current tables.
func (db *database) eval(q string) (*query.Result, error) {
	st, err := sql.Parse(q)
	if err != nil {
		return nil, err
	}
	if err := db.sync(st); err != nil {
		return nil, err
	}
	return db.store.RunCatalog(context.Background(), q, st, db, query.QueryOptions{Limits: query.Limits{MaxResultRows: 10_000_000, MaxResultBytes: 1 << 30}})
}

// keyColumns names the columns that identify a row of t in a query.
func (t *table) keyColumns() []string {
	if t.pk == nil {
		return []string{rowidName}
	}
	var out []string
	for _, i := range t.pk {
		out = append(out, t.cols[i].Name)
	}
	return out
}

func (t *table) keyOf(r dataset.Row) string {
	var b strings.Builder
	idx := t.pk
	if idx == nil {
		idx = []int{len(t.cols)}
	}
	for _, i := range idx {
		b.WriteString(sql.FormatLiteral(r[i]))
		b.WriteByte(0)
	}
	return b.String()
}

func (db *database) delete(p *ddl) error {
	name := strings.ToLower(p.ident())
	t, ok := db.tables[name]
	if !ok {
		return fmt.Errorf("%w: DELETE from %s, which is not a table", errUnsupported, name)
	}
	where := ""
	if p.words("WHERE") {
		where = " WHERE " + p.rest()
	} else if !p.end() {
		return fmt.Errorf("%w: %q", errUnsupported, p.s)
	}
	res, err := db.eval("SELECT " + strings.Join(t.keyColumns(), ", ") + " FROM " + name + where)
	if err != nil {
		return err
	}
	gone := map[string]bool{}
	for _, r := range res.Rows {
		gone[keyRow(r)] = true
	}
	keep := t.rows[:0]
	for _, r := range t.rows {
		if !gone[keyRow(t.keyValues(r))] {
			keep = append(keep, r)
		}
	}
	t.rows = keep
	t.keys = nil
	t.dirty = true
	return nil
}

func (t *table) keyValues(r dataset.Row) dataset.Row {
	if t.pk == nil {
		return dataset.Row{r[len(t.cols)]}
	}
	out := make(dataset.Row, len(t.pk))
	for j, i := range t.pk {
		out[j] = r[i]
	}
	return out
}

func keyRow(r dataset.Row) string {
	var b strings.Builder
	for _, v := range r {
		b.WriteString(sql.FormatLiteral(v))
		b.WriteByte(0)
	}
	return b.String()
}

// update runs UPDATE t SET col = expr, … [WHERE cond]: the engine computes
// the new values of the rows WHERE selects.
func (db *database) update(p *ddl) error {
	name := strings.ToLower(p.ident())
	t, ok := db.tables[name]
	if !ok {
		return fmt.Errorf("%w: UPDATE of %s, which is not a table", errUnsupported, name)
	}
	if !p.words("SET") {
		return fmt.Errorf("%w: %q", errUnsupported, p.s)
	}
	rest := p.rest()
	setPart, where := rest, ""
	if i := indexKeyword(rest, "WHERE"); i >= 0 {
		setPart, where = rest[:i], " "+rest[i:]
	}
	assigns, err := splitTopLevel(setPart, ',')
	if err != nil {
		return err
	}
	var targets []int
	var exprs []string
	for _, a := range assigns {
		col, e, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%w: SET %q", errUnsupported, a)
		}
		i := colIndex(t.cols, strings.TrimSpace(col))
		if i < 0 {
			return fmt.Errorf("no column %s", col)
		}
		targets = append(targets, i)
		exprs = append(exprs, e)
	}
	keys := t.keyColumns()
	res, err := db.eval("SELECT " + strings.Join(keys, ", ") + ", " + strings.Join(exprs, ", ") + " FROM " + name + where)
	if err != nil {
		return err
	}
	updates := map[string]dataset.Row{}
	for _, r := range res.Rows {
		updates[keyRow(r[:len(keys)])] = r[len(keys):]
	}
	for n, r := range t.rows {
		vals, ok := updates[keyRow(t.keyValues(r))]
		if !ok {
			continue
		}
		nr := append(dataset.Row(nil), r...)
		for j, i := range targets {
			v, err := affinity(t.cols[i], vals[j])
			if err != nil {
				return err
			}
			if !t.cols[i].Nullable && v.IsNull() {
				return fmt.Errorf("NOT NULL constraint failed: %s.%s", t.name, t.cols[i].Name)
			}
			nr[i] = v
		}
		t.rows[n] = nr
	}
	if t.pk != nil {
		seen := map[string]bool{}
		for _, r := range t.rows {
			k := t.keyOf(r)
			if seen[k] {
				return fmt.Errorf("UNIQUE constraint failed: %s primary key", t.name)
			}
			seen[k] = true
		}
	}
	t.keys = nil
	t.dirty = true
	return nil
}
