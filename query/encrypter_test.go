package query

import (
	"crypto/rand"
	"fmt"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/ethereum/go-ethereum/common"
	"strings"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/sql"
)

// TestQueryEncrypterMatchesEncryptQuery checks QueryEncrypter's invariant
// on the differential test's queries over encrypted tables (OPE, DET and
// ORE columns): each query is first sent with some of its literals
// replaced by others of the same kind, which teaches the encrypter that
// shape, then as generated; both must come out exactly as EncryptQuery
// writes them, errors included. It fails if a remembered shape was reused
// where it does not hold, and if shapes were never reused.
func TestQueryEncrypterMatchesEncryptQuery(t *testing.T) {
	const seeds, perSeed = 8, 150
	reused, queries := 0, 0
	for seed := range uint64(seeds) {
		ore := seed%2 == 1
		g := &diffGen{r: randsrc.New(1000 + seed), enc: true, ore: ore}
		g.tables = []*diffTable{g.table("t1", []string{"k", "a", "b", "c", "d"}, true)}
		d := newDiffStore(t, g.tables, true)
		schema, enc := d.schemas["t1"], d.encrypter
		for range perSeed {
			q, _ := g.query()
			for _, variant := range []string{perturbLiterals(t, g.r, q), q} {
				want, wantErr := EncryptQuery(variant, schema, d.cipher)
				key, lits, _ := sql.Shape(variant, nil, nil)
				enc.mu.Lock()
				sh := enc.shapes[string(key)]
				enc.mu.Unlock()
				if sh != nil {
					if _, ok := sh.fill(variant, lits, d.cipher); ok {
						reused++
					}
				}
				got, err := enc.Encrypt(variant)
				queries++
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("seed %d: %s\nEncrypt: %v\nEncryptQuery: %v", seed, variant, err, wantErr)
				}
				if got != want {
					t.Fatalf("seed %d: %s\nEncrypt:      %s\nEncryptQuery: %s", seed, variant, got, want)
				}
			}
		}
	}
	t.Logf("%d queries, %d rewritten from a remembered shape", queries, reused)
	if reused < queries/10 {
		t.Errorf("only %d of %d queries reused a remembered shape: the test no longer exercises the reuse", reused, queries)
	}
}

// perturbLiterals replaces each literal of q, with probability 1/2, by
// another of the same kind (integers also beyond 2^53, which no float64
// holds; floats also beyond float64's range).
func perturbLiterals(t *testing.T, r *randsrc.Rand, q string) string {
	_, lits, err := sql.Shape(q, nil, nil)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var b strings.Builder
	end := 0
	for _, l := range lits {
		text := q[l.Pos:l.End]
		b.WriteString(q[end:l.Pos])
		end = l.End
		if r.IntN(2) == 0 {
			b.WriteString(text)
			continue
		}
		switch {
		case text[0] == '\'':
			b.WriteString(sql.FormatLiteral(dataset.String(diffStrings[r.IntN(len(diffStrings))])))
		case strings.ContainsAny(text, ".eE"):
			b.WriteString([]string{"0.25", "3.5", "0.1", "1e400", "2.0"}[r.IntN(5)])
		case text[0] >= '0' && text[0] <= '9':
			b.WriteString([]string{"0", "3", "7", "9007199254740993"}[r.IntN(4)])
		default:
			b.WriteString(text)
		}
	}
	b.WriteString(q[end:])
	return b.String()
}

// BenchmarkQueryEncrypter rewrites a point lookup by an order-preserving
// price, a new price each time, as EncryptQuery does it and as a
// QueryEncrypter that has seen the query's shape does.
func BenchmarkQueryEncrypter(b *testing.B) {
	schema, c := encrypterSchema(b)
	enc, err := NewQueryEncrypter(&schema, c)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		encrypt func(string) (string, error)
	}{
		{"EncryptQuery", func(q string) (string, error) { return EncryptQuery(q, &schema, c) }},
		{"QueryEncrypter", enc.Encrypt},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := randsrc.New(2)
			for b.Loop() {
				q := "SELECT * FROM t WHERE price = " + sql.FormatLiteral(dataset.Float64(float64(r.IntN(100_000))/100))
				if _, err := tc.encrypt(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzQueryEncrypter checks QueryEncrypter's invariant on any text: a
// fresh encrypter is taught the query's shape by a variant with its
// literals replaced (numbers by 7 or 7.5, strings by 'z'), then asked for
// the query itself, twice; each answer and error must be EncryptQuery's.
func FuzzQueryEncrypter(f *testing.F) {
	schema, c := encrypterSchema(f)
	for _, q := range []string{
		"SELECT * FROM t WHERE price = 12.5",
		"SELECT id FROM t WHERE n BETWEEN -3 AND 9007199254740993 OR asset IN ('a', 'b''c')",
		"SELECT id FROM t WHERE ts >= TIMESTAMP '2026-01-02T03:04:05.123456789Z' AND qty < 4",
		"SELECT price, COUNT(*) FROM t WHERE price IS 1e400 GROUP BY price ORDER BY 1 LIMIT 10",
		"SELECT id FROM t WHERE n = -9223372036854775808 AND id > (SELECT MAX(n) FROM t WHERE n != 2.5)",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		want, wantErr := EncryptQuery(q, &schema, c)
		enc, err := NewQueryEncrypter(&schema, c)
		if err != nil {
			t.Fatal(err)
		}
		_, lits, err := sql.Shape(q, nil, nil)
		if err == nil {
			var b strings.Builder
			end := 0
			for _, l := range lits {
				b.WriteString(q[end:l.Pos])
				end = l.End
				switch text := q[l.Pos:l.End]; {
				case text[0] == '\'':
					b.WriteString("'z'")
				case strings.ContainsAny(text, ".eE") && text[0] != 'X' && text[0] != 'x':
					b.WriteString("7.5")
				case text[0] >= '0' && text[0] <= '9':
					b.WriteString("7")
				default:
					b.WriteString(text)
				}
			}
			b.WriteString(q[end:])
			enc.Encrypt(b.String()) // teaches the shape, if it has one
		}
		for range 2 {
			got, err := enc.Encrypt(q)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || got != want {
				t.Fatalf("%q:\nEncrypt:      %q, %v\nEncryptQuery: %q, %v", q, got, err, want, wantErr)
			}
		}
	})
}

// TestQueryEncrypterConcurrent runs one QueryEncrypter from several
// goroutines, on a few shapes and many constants (run it with -race too):
// each answer must still be EncryptQuery's.
func TestQueryEncrypterConcurrent(t *testing.T) {
	g := &diffGen{r: randsrc.New(77), enc: true}
	g.tables = []*diffTable{g.table("t1", []string{"k", "a", "b", "c", "d"}, true)}
	d := newDiffStore(t, g.tables, true)
	schema, enc := d.schemas["t1"], d.encrypter
	var shapes []string
	for len(shapes) < 8 {
		if q, _ := g.query(); strings.Contains(q, "WHERE") {
			shapes = append(shapes, q)
		}
	}
	const workers = 4
	queries := make([][]string, workers)
	for w := range queries {
		for i := range 200 {
			queries[w] = append(queries[w], perturbLiterals(t, g.r, shapes[(i+w)%len(shapes)]))
		}
	}
	errs := make(chan error, workers)
	for _, qs := range queries {
		go func() {
			for _, q := range qs {
				want, wantErr := EncryptQuery(q, schema, d.cipher)
				got, err := enc.Encrypt(q)
				if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					errs <- fmt.Errorf("%s:\nEncrypt:      %s, %v\nEncryptQuery: %s, %v", q, got, err, want, wantErr)
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// encrypterSchema is a dataset schema with a column of each encryption
// (OPE int64, float64 and timestamp, DET string, ORE int64) and its keys.
func encrypterSchema(tb testing.TB) (dataset.Schema, *colcrypt.Cipher) {
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [
		{"name": "id", "type": "int64"},
		{"name": "price", "type": "float64", "encryption": "ope"},
		{"name": "n", "type": "int64", "encryption": "ope"},
		{"name": "asset", "type": "string", "encryption": "det"},
		{"name": "qty", "type": "int64", "encryption": "ore"},
		{"name": "ts", "type": "timestamp", "encryption": "ope"}],
		"primary_key": ["id"]}`))
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := colcrypt.New(keys, common.Hash{2})
	if err != nil {
		tb.Fatal(err)
	}
	return schema, c
}

// TestQueryEncrypterBounded feeds a QueryEncrypter more shapes than it
// keeps, and shapes of 30 KB constants: it must stay within
// maxQueryShapes and maxShapeBytes, its byte count the sum of its shapes'.
func TestQueryEncrypterBounded(t *testing.T) {
	schema, c := encrypterSchema(t)
	enc, err := NewQueryEncrypter(&schema, c)
	if err != nil {
		t.Fatal(err)
	}
	check := func(q string) {
		t.Helper()
		if _, err := enc.Encrypt(q); err != nil {
			t.Fatal(err)
		}
		enc.mu.Lock()
		defer enc.mu.Unlock()
		sum := 0
		for key, sh := range enc.shapes {
			sum += len(key) + sh.size
		}
		if len(enc.shapes) > maxQueryShapes || enc.bytes > maxShapeBytes || enc.bytes != sum {
			t.Fatalf("%d shapes, %d bytes counted, %d held", len(enc.shapes), enc.bytes, sum)
		}
	}
	// 384 shapes, each met twice in a row with another id: a shape the
	// query no longer fits is learnt again in its place.
	for i := range 768 {
		shape := i / 2
		order := []string{"", " ORDER BY n"}[shape/192]
		check(fmt.Sprintf("SELECT id%s FROM t WHERE price = %d.5 AND id = %d%s", strings.Repeat(", id", shape%192), i, i, order))
	}
	big := strings.Repeat("x", 30_000)
	for i := range 40 {
		check(fmt.Sprintf("SELECT id%s FROM t WHERE asset = '%s%d'", strings.Repeat(", n", i), big, i))
	}
}
