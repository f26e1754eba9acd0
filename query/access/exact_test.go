package access

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// TestConstantsBeyondFloatPrecisionOnEncryptedColumns: integer constants
// beyond 2^53 compared with encrypted columns are encrypted exactly (an
// int64 column) or compared exactly (a float64 column, which cannot hold
// them), never rounded to a float64 first, so the encrypted dataset
// answers what its plaintext twin answers — and both what the values say.
func TestConstantsBeyondFloatPrecisionOnEncryptedColumns(t *testing.T) {
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [
	  {"name": "k", "type": "int64"},
	  {"name": "v", "type": "int64", "encryption": "ope"},
	  {"name": "d", "type": "int64", "encryption": "det"},
	  {"name": "f", "type": "float64", "encryption": "ope"}],
	 "primary_key": ["k"], "indexes": [{"name": "iv", "columns": ["v"]}, {"name": "if", "columns": ["f"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	store, err := query.Open("db", query.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	plainSchema := schema
	plainSchema.Columns = slices.Clone(schema.Columns)
	for i := range plainSchema.Columns {
		plainSchema.Columns[i].Encryption = dataset.EncNone
	}
	provider := common.HexToAddress("0xbb")
	encT, err := store.CreateDataset(dataset.Path{Provider: provider, Name: "enc"}, schema)
	if err != nil {
		t.Fatal(err)
	}
	plainT, err := store.CreateDataset(dataset.Path{Provider: provider, Name: "plain"}, plainSchema)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := colcrypt.GenerateKeys(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cipher, err := colcrypt.New(keys, encT.Path.ID())
	if err != nil {
		t.Fatal(err)
	}
	const p53 = 1 << 53
	var plain, enc []dataset.Row
	for k, v := range []int64{p53 - 1, p53, p53 + 1, p53 + 2, p53 + 3} {
		row := dataset.Row{dataset.Int64(int64(k)), dataset.Int64(v), dataset.Int64(v), dataset.Float64(float64(v))}
		e, err := cipher.EncryptRow(&schema, k, row)
		if err != nil {
			t.Fatal(err)
		}
		plain, enc = append(plain, row), append(enc, e)
	}
	if _, err := store.Ingest(query.Batch{Dataset: encT.ID(), RunID: "r", Rows: enc}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Ingest(query.Batch{Dataset: plainT.ID(), RunID: "r", Rows: plain}); err != nil {
		t.Fatal(err)
	}
	keysOf := func(table, q string) string {
		t.Helper()
		q = fmt.Sprintf(q, table)
		if table == "enc" {
			if q, err = EncryptQuery(q, &schema, cipher); err != nil {
				t.Fatalf("EncryptQuery: %v", err)
			}
		}
		res, err := store.Query(context.Background(), q, query.QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out string
		for _, r := range res.Rows {
			out += r[0].String() + " "
		}
		return out
	}
	// Rows k = 0…4 hold 2^53-1 … 2^53+3; f holds them as float64s
	// (2^53-1, 2^53, 2^53, 2^53+2, 2^53+4).
	for q, want := range map[string]string{
		"SELECT k FROM %s WHERE v = 9007199254740993 ORDER BY k":                            "2 ",
		"SELECT k FROM %s WHERE v > 9007199254740992 ORDER BY k":                            "2 3 4 ",
		"SELECT k FROM %s WHERE v BETWEEN 9007199254740993 AND 9007199254740994 ORDER BY k": "2 3 ",
		"SELECT k FROM %s WHERE d IN (9007199254740993, 9007199254740995) ORDER BY k":       "2 4 ",
		"SELECT k FROM %s WHERE d != 9007199254740993 ORDER BY k":                           "0 1 3 4 ",
		"SELECT k FROM %s WHERE f = 9007199254740993 ORDER BY k":                            "",
		"SELECT k FROM %s WHERE f < 9007199254740993 ORDER BY k":                            "0 1 2 ",
		"SELECT k FROM %s WHERE f >= 9007199254740993 ORDER BY k":                           "3 4 ",
		"SELECT k FROM %s WHERE f IN (9007199254740993, 9007199254740994) ORDER BY k":       "3 ",
	} {
		gotPlain, gotEnc := keysOf("plain", q), keysOf("enc", q)
		if gotPlain != want || gotEnc != want {
			t.Errorf("%s: plaintext %q, encrypted %q, want %q", q, gotPlain, gotEnc, want)
		}
	}
}
