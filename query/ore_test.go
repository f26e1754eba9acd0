package query

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// oreFixture holds one table whose column v is order-revealing and p is
// its plaintext copy, so every query on v has its answer on p; fv and fp
// are the same for float64.
type oreFixture struct {
	s      *Store
	schema dataset.Schema
	c      *colcrypt.Cipher
}

func newOREFixture(t *testing.T, rows int) *oreFixture {
	t.Helper()
	schema := dataset.Schema{
		Columns: []dataset.Column{
			{Name: "k", Type: dataset.TypeInt64},
			{Name: "v", Type: dataset.TypeInt64, Encryption: dataset.EncOrderRevealing, Nullable: true},
			{Name: "p", Type: dataset.TypeInt64, Nullable: true},
			{Name: "ts", Type: dataset.TypeTimestamp, Encryption: dataset.EncOrderRevealing},
			{Name: "o", Type: dataset.TypeInt64, Encryption: dataset.EncOrderPreserving},
			{Name: "fv", Type: dataset.TypeFloat64, Encryption: dataset.EncOrderRevealing, Nullable: true},
			{Name: "fp", Type: dataset.TypeFloat64, Nullable: true},
		},
		PrimaryKey: []string{"k"},
		Indexes:    []dataset.Index{{Name: "by_o", Columns: []string{"o"}}},
	}
	s, created, c := newEncryptedTable(t, dataset.Path{Provider: common.HexToAddress("0xd1"), Name: "t"}, schema, 1)
	r := randsrc.New(2)
	extremes := []int64{math.MinInt64, math.MaxInt64, -1, 0, 1}
	fr := randsrc.New(4) // its own source, so v's draws stay as they were
	var batch []dataset.Row
	for k := range rows {
		v := dataset.Int64(int64(r.IntN(41) - 20))
		switch {
		case k < len(extremes):
			v = dataset.Int64(extremes[k])
		case r.IntN(8) == 0:
			v = dataset.Null
		}
		f := oreFloat(fr, k)
		row := dataset.Row{dataset.Int64(int64(k)), v, v, {Kind: dataset.TypeTimestamp, Int: int64(k) * 1000}, dataset.Int64(int64(k % 10)), f, f}
		e, err := c.EncryptRow(&schema, k, row)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, e)
	}
	if _, err := s.Ingest(Batch{Dataset: created.ID(), RunID: "ore", Rows: batch}); err != nil {
		t.Fatal(err)
	}
	return &oreFixture{s: s, schema: schema, c: c}
}

// oreFloatExtremes are the float64s whose images sit at the edges of
// blocks or of the order: ±0, ±Inf, NaN, subnormals, the normal range's
// ends and integers around 2^53, where an int64 constant stops being exact.
var oreFloatExtremes = []float64{
	math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN(),
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-320, 0x1p-1022, -0x1p-1022,
	math.MaxFloat64, -math.MaxFloat64, 0x1p53, 0x1p53 + 2, -0x1p53, -0x1p53 - 2, 0x1p63, -0x1p63,
	math.Float64frombits(0xfff8_0000_0000_0001), // a NaN with the sign bit set
}

// oreFloat is row k's float: the extremes first, then NULLs, halves and
// quarters in [-10, 10] (so constants hit them), and random bit patterns.
func oreFloat(r *randsrc.Rand, k int) dataset.Value {
	if k < len(oreFloatExtremes) {
		return dataset.Float64(oreFloatExtremes[k])
	}
	switch r.IntN(8) {
	case 0:
		return dataset.Null
	case 1, 2:
		return dataset.Float64(math.Float64frombits(r.Uint64()))
	}
	return dataset.Float64(float64(r.IntN(81)-40) / 4)
}

type seededBytes struct{ r *randsrc.Rand }

func (s seededBytes) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

// run encrypts q's constants, runs it and decrypts the answer, as a
// subscriber's client does.
func (f *oreFixture) run(q string) ([][]any, error) {
	eq, err := EncryptQuery(q, &f.schema, f.c)
	if err != nil {
		return nil, err
	}
	res, err := f.s.Query(context.Background(), eq, QueryOptions{})
	if err != nil {
		return nil, err
	}
	if err := DecryptResult(res, &f.schema, f.c); err != nil {
		return nil, err
	}
	return resultCells(res), nil
}

func TestOREColumnAnswersLikePlaintext(t *testing.T) {
	f := newOREFixture(t, 300)
	r := randsrc.New(3)
	lit := func() string {
		switch r.IntN(12) {
		case 0:
			return "NULL"
		case 1:
			return fmt.Sprintf("%d.5", r.IntN(41)-20) // no int64 equals it
		case 2:
			return []string{"1e30", "-1e30", "9223372036854775807", "-9223372036854775808"}[r.IntN(4)]
		}
		return fmt.Sprint(r.IntN(45) - 22)
	}
	conds := oreConditions(r, lit, "%s IS NULL")
	for range 400 {
		c := conds[r.IntN(len(conds))]()
		if r.IntN(4) == 0 {
			c += " AND " + conds[r.IntN(len(conds))]()
		}
		onV := strings.ReplaceAll(c, "%s", "v")
		onP := strings.ReplaceAll(c, "%s", "p")
		q := "SELECT k, v FROM t WHERE " + onV + " ORDER BY k"
		got, err := f.run(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want, err := f.run("SELECT k, p FROM t WHERE " + onP + " ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%s: %d rows, the plaintext column gives %d\n%v\n%v", q, len(got), len(want), got, want)
		}
	}
	// Timestamps and a COUNT over a range.
	got, err := f.run("SELECT COUNT(*) FROM t WHERE ts >= TIMESTAMP '1970-01-01T00:00:00.010Z' AND ts < TIMESTAMP '1970-01-01T00:00:00.020Z'")
	if err != nil || len(got) != 1 || got[0][0] != int64(10) {
		t.Fatalf("timestamp range: %v %v", got, err)
	}
}

// TestOREFloatColumnAnswersLikePlaintext runs ranges, equality, BETWEEN
// and IN on the float64 ore column fv and its plaintext copy fp, with
// constants at the edges of the float order: ±0, subnormals, ±Inf
// (1e400), integers beyond 2^53 that no float64 equals, and the extremes
// of int64. The answers must agree bit for bit: -0 and NaN come back as
// they went in.
func TestOREFloatColumnAnswersLikePlaintext(t *testing.T) {
	f := newOREFixture(t, 300)
	r := randsrc.New(5)
	edges := []string{
		"0", "0.0", "-0.0", "1e400", "-1e400", "4.9e-324", "-4.9e-324", "1e-320", "2.2250738585072014e-308",
		"1.7976931348623157e308", "-1.7976931348623157e308", "1e30", "-1e30",
		"9007199254740992", "9007199254740993", "9007199254740994", "-9007199254740993",
		"9223372036854775807", "-9223372036854775808", "9223372036854775296",
	}
	lit := func() string {
		switch r.IntN(10) {
		case 0:
			return "NULL"
		case 1, 2:
			return edges[r.IntN(len(edges))]
		case 3, 4:
			return fmt.Sprint(r.IntN(23) - 11) // an integer against a float column
		case 5:
			return fmt.Sprintf("%d.125", r.IntN(21)-10) // no row holds it
		}
		return fmt.Sprint(float64(r.IntN(81)-40) / 4)
	}
	conds := oreConditions(r, lit, "%s IS NOT NULL")
	sameBits := func(a, b []any) bool {
		return slices.EqualFunc(a, b, func(x, y any) bool {
			fx, xok := x.(float64)
			fy, yok := y.(float64)
			if xok && yok {
				return math.Float64bits(fx) == math.Float64bits(fy)
			}
			return x == y
		})
	}
	matched := 0
	for range 400 {
		c := conds[r.IntN(len(conds))]()
		if r.IntN(4) == 0 {
			c += []string{" AND ", " OR "}[r.IntN(2)] + conds[r.IntN(len(conds))]()
		}
		q := "SELECT k, fv FROM t WHERE " + strings.ReplaceAll(c, "%s", "fv") + " ORDER BY k"
		got, err := f.run(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want, err := f.run("SELECT k, fp FROM t WHERE " + strings.ReplaceAll(c, "%s", "fp") + " ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, sameBits) {
			t.Fatalf("%s: %d rows, the plaintext column gives %d\n%v\n%v", q, len(got), len(want), got, want)
		}
		if len(got) > 0 && len(got) < 300 {
			matched++
		}
	}
	if matched < 200 {
		t.Fatalf("only %d of 400 conditions selected some rows but not all; the generator tests too little", matched)
	}
	// The SQL facts the image must keep: -0 equals 0, NaN sorts after
	// +Inf, and an integer beyond 2^53 equals no float64.
	for q, want := range map[string]int64{
		"SELECT COUNT(*) FROM t WHERE fv = 0":                                          2,
		"SELECT COUNT(*) FROM t WHERE fv = -0.0 AND k < 2":                             2,
		"SELECT COUNT(*) FROM t WHERE fv > 1e400 AND k < 18":                           1, // NaN
		"SELECT COUNT(*) FROM t WHERE fv = 9007199254740993":                           0,
		"SELECT COUNT(*) FROM t WHERE fv < 9007199254740993 AND fv > 9007199254740991": 1,
		"SELECT COUNT(*) FROM t WHERE fv IN (9007199254740994, -9007199254740994)":     2,
	} {
		got, err := f.run(q)
		if err != nil || len(got) != 1 || got[0][0] != want {
			t.Errorf("%s: %v %v, want %d", q, got, err, want)
		}
	}
	// Decryption gives back the stored bits: -0 stays -0, NaN stays NaN.
	got, err := f.run("SELECT fv FROM t WHERE k < 5 ORDER BY k")
	if err != nil || len(got) != 5 {
		t.Fatalf("select fv: %v %v", got, err)
	}
	for i, want := range oreFloatExtremes[:5] {
		if g, ok := got[i][0].(float64); !ok || math.Float64bits(g) != math.Float64bits(want) {
			t.Errorf("row %d decrypted as %v, stored %v", i, got[i][0], want)
		}
	}
}

func TestOREColumnRefusesWhatCellsCannotDo(t *testing.T) {
	f := newOREFixture(t, 20)
	for q, want := range map[string]string{
		"SELECT v FROM t ORDER BY v":                   "ORDER BY: column \"v\" has order-revealing encryption",
		"SELECT MIN(v) FROM t":                         "min: column \"v\" has order-revealing",
		"SELECT MAX(ts) FROM t":                        "max: column \"ts\" has order-revealing",
		"SELECT v, COUNT(*) FROM t GROUP BY v":         "GROUP BY: column \"v\"",
		"SELECT DISTINCT v FROM t":                     "SELECT DISTINCT: column \"v\"",
		"SELECT COUNT(DISTINCT v) FROM t":              "COUNT(DISTINCT …): column \"v\"",
		"SELECT v FROM t UNION SELECT v FROM t":        "UNION: column \"v\"",
		"SELECT a.k FROM t a JOIN t b ON a.v = b.v":    "never with each other",
		"SELECT k FROM t WHERE v < ts":                 "never with each other",
		"SELECT k FROM t WHERE v IN (SELECT v FROM t)": "IN (SELECT …): column \"v\"",
		"SELECT CASE v WHEN 1 THEN 2 END FROM t":       "CASE … WHEN",
		"SELECT k FROM t WHERE v IS 3":                 "not IS",
		"SELECT SUM(v) FROM t":                         "cannot add ciphertexts",
		"SELECT k FROM t WHERE v < X'00'":              "not an order-revealing query constant",
		"SELECT k FROM t WHERE v + 1 > 2":              "encrypted",
		"SELECT k FROM t WHERE v = o":                  "never with each other",
	} {
		_, err := f.run(q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error with %q", q, err, want)
		}
	}
	// EXPLAIN says how the comparison runs.
	q, err := EncryptQuery("EXPLAIN SELECT k FROM t WHERE v BETWEEN 1 AND 5 AND k > 2", &f.schema, f.c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.s.Query(context.Background(), q, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	for _, r := range res.Rows {
		plan.WriteString(string(r[0].Bytes) + "\n")
	}
	if !strings.Contains(plan.String(), "order-revealing: v compared with the query's left ciphertexts cell by cell") {
		t.Errorf("EXPLAIN:\n%s", plan.String())
	}
	// UNION ALL compares nothing, and selecting the column decrypts it.
	got, err := f.run("SELECT v FROM t WHERE k = 3 UNION ALL SELECT v FROM t WHERE k = 4")
	if err != nil || len(got) != 2 || got[0][0] != int64(0) || got[1][0] != int64(1) {
		t.Fatalf("UNION ALL: %v %v", got, err)
	}
	// A left ciphertext of another column is refused, not answered.
	other, err := f.c.EncryptConstant(f.schema.Columns[3], dataset.Value{Kind: dataset.TypeTimestamp, Int: 5})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.Query(context.Background(), fmt.Sprintf("SELECT k FROM t WHERE v < X'%x'", other.Bytes), QueryOptions{})
	if err == nil || !strings.Contains(err.Error(), "another column") {
		t.Fatalf("a constant of another column: %v", err)
	}
}

// oreConditions makes random conditions on one column (its place a %s):
// comparisons either way round, BETWEEN and IN with constants from lit, and
// nullTest.
func oreConditions(r *randsrc.Rand, lit func() string, nullTest string) []func() string {
	return []func() string{
		func() string { return "%s " + []string{"=", "!=", "<", "<=", ">", ">="}[r.IntN(6)] + " " + lit() },
		func() string { return lit() + " " + []string{"=", "<>", "<", "<=", ">", ">="}[r.IntN(6)] + " %s" },
		func() string { return "%s " + []string{"", "NOT "}[r.IntN(2)] + "BETWEEN " + lit() + " AND " + lit() },
		func() string {
			return "%s " + []string{"", "NOT "}[r.IntN(2)] + "IN (" + lit() + ", " + lit() + ", " + lit() + ")"
		},
		func() string { return nullTest },
	}
}
