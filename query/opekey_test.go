package query

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/internal/randsrc"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/internal/keyenc"
)

// TestOrderPreservingKeysHoldTheRangePoint checks that a store's keys hold
// an order-preserving cell's 12-byte range point, not its seal, which an
// index entry keeps in its value, and that what reads through those keys
// still answers with whole cells: equality, IN, ranges and ORDER BY through
// an index on an order-preserving column (covering scans among them) and
// through a primary key of one return what full scans return, every cell
// decrypting. An entry holding the whole cell in its key fails the first
// check; a covering scan that did not put the seal back, or that took a
// primary key's order-preserving cell from the key, returns cells of 12
// bytes, which do not decrypt.
func TestOrderPreservingKeysHoldTheRangePoint(t *testing.T) {
	schema := dataset.Schema{
		Columns: []dataset.Column{
			{Name: "po", Type: dataset.TypeInt64, Encryption: dataset.EncOrderPreserving},
			{Name: "o", Type: dataset.TypeInt64, Encryption: dataset.EncOrderPreserving},
			{Name: "v", Type: dataset.TypeInt64},
		},
		PrimaryKey: []string{"po"},
		Indexes:    []dataset.Index{{Name: "by_o", Columns: []string{"o"}}},
	}
	s, tbl, c := newEncryptedTable(t, dataset.Path{Provider: common.HexToAddress("0xd2"), Name: "opekeys"}, schema, 7)
	const rows = 300
	var batch []dataset.Row
	for k := range rows {
		plain := dataset.Row{dataset.Int64(int64(k*7919 - 1_000_000)), dataset.Int64(int64(k%23 - 11)), dataset.Int64(int64(k))}
		e, err := c.EncryptRow(&schema, k, plain)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, e)
	}
	if _, err := s.Ingest(Batch{Dataset: tbl.ID(), RunID: "r", Rows: batch}); err != nil {
		t.Fatal(err)
	}

	// The entries: every row's and index entry's key, rebuilt from the
	// range points alone, and each index entry's value, the seal.
	want := map[string][]byte{}
	for _, r := range batch {
		for _, v := range r[:2] {
			if len(v.Bytes) != dataset.OrderPreservingCellBytes {
				t.Fatalf("a stored cell of %d bytes, want %d", len(v.Bytes), dataset.OrderPreservingCellBytes)
			}
		}
		pk := keyenc.AppendKey(nil, dataset.Bytes(r[0].Bytes[:dataset.OrderPreservingPointBytes]))
		want[string(rowKey(tbl.id, pk))] = keyenc.AppendRow(nil, r)
		ix := keyenc.AppendKey(indexPrefix(tbl.id, 0), dataset.Bytes(r[1].Bytes[:dataset.OrderPreservingPointBytes]))
		want[string(append(ix, pk...))] = r[1].Bytes[dataset.OrderPreservingPointBytes:]
	}
	got := map[string][]byte{}
	for _, prefix := range [][]byte{rowPrefix(tbl.id), indexPrefix(tbl.id, 0)} {
		it, err := s.db.NewIter(nil)
		if err != nil {
			t.Fatal(err)
		}
		for ok := it.SeekGE(prefix); ok && bytes.HasPrefix(it.Key(), prefix); ok = it.Next() {
			got[string(it.Key())] = bytes.Clone(it.Value())
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the store holds %d row and index entries, want %d", len(got), len(want))
	}
	for k, v := range got {
		w, ok := want[k]
		if !ok {
			t.Fatalf("key %x holds more than the range points of its order-preserving cells", k)
		}
		if !bytes.Equal(v, w) {
			t.Fatalf("entry %x holds %x, want %x", k, v, w)
		}
	}
	if err := s.Check(tbl); err != nil {
		t.Fatalf("check: %v", err)
	}

	// The reads: each query through its plan and as a full scan, through
	// the client's encryption of its constants and decryption of the
	// answer.
	ctx := context.Background()
	run := func(q string, noIndexes bool) *Result {
		t.Helper()
		eq, err := EncryptQuery(q, &schema, c)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		res, err := s.Query(ctx, eq, QueryOptions{NoIndexes: noIndexes})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if err := DecryptResult(res, &schema, c); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	for _, tc := range []struct {
		q        string
		covering bool // the index entries hold every column read
	}{
		{"SELECT po, o, v FROM opekeys WHERE o = 3", false},
		{"SELECT o, v FROM opekeys WHERE o IN (-11, 0, 11, 12)", false},
		{"SELECT po, o FROM opekeys WHERE o >= -2 AND o < 4", false}, // po: a primary key's point only
		{"SELECT o FROM opekeys WHERE o > 9", true},
		{"SELECT COUNT(*) FROM opekeys WHERE o >= -3 AND o <= 3", true},
		{"SELECT o, po FROM opekeys ORDER BY o DESC, po DESC LIMIT 7", false},
		{"SELECT o FROM opekeys ORDER BY o", true},
		{"SELECT o FROM opekeys ORDER BY o DESC LIMIT 5", true},
		{"SELECT MIN(o), MAX(o), COUNT(DISTINCT o) FROM opekeys", false},
		{"SELECT po, v FROM opekeys WHERE po = -992081", false},
		{"SELECT po FROM opekeys WHERE po BETWEEN -1000000 AND -900000 ORDER BY po", false},
	} {
		q := tc.q
		plan := run("EXPLAIN "+q, false)
		covering := false
		for _, l := range plan.Rows {
			covering = covering || strings.HasPrefix(l[0].String(), "covering")
		}
		if covering != tc.covering {
			t.Errorf("%s: covering %v, want %v:\n%v", q, covering, tc.covering, plan.Rows)
		}
		indexed, scanned := run(q, false), run(q, true)
		if len(indexed.Rows) == 0 {
			t.Fatalf("%s: no rows; the query tests nothing", q)
		}
		a, b := fmt.Sprint(indexed.Rows), fmt.Sprint(scanned.Rows)
		same := a == b
		if !strings.Contains(q, "ORDER BY") {
			same = slices.Equal(sortedRowStrings(indexed.Rows), sortedRowStrings(scanned.Rows))
		}
		if !same {
			t.Errorf("%s:\nthrough the plan %s\nscanned %s", q, a, b)
		}
		for _, r := range indexed.Rows {
			for i, col := range indexed.Columns {
				if (col.Name == "o" || col.Name == "v") && r[i].Kind != dataset.TypeInt64 {
					t.Errorf("%s: column %s answered %v, want a decrypted int64", q, col.Name, r[i])
				}
			}
		}
	}
}

// newEncryptedTable creates the dataset path of schema in a fresh in-memory
// store, with column keys drawn from seed.
func newEncryptedTable(t *testing.T, path dataset.Path, schema dataset.Schema, seed uint64) (*Store, *Table, *colcrypt.Cipher) {
	t.Helper()
	s := openMem(t)
	tbl, err := s.CreateDataset(path, schema)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(seededBytes{randsrc.New(seed)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := colcrypt.New(keys, path.ID())
	if err != nil {
		t.Fatal(err)
	}
	return s, tbl, c
}

func sortedRowStrings(rows []dataset.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r)
	}
	slices.Sort(out)
	return out
}
