package worker

import (
	"bytes"
	"testing"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/colcrypt"
)

// TestOREColumnsLeaveEncrypted: a worker stores ore cells — randomized
// right ciphertexts with the sealed value — so two rows of one value leave
// as different bytes, and the subscriber's keys decrypt and compare them.
func TestOREColumnsLeaveEncrypted(t *testing.T) {
	schema, err := dataset.ParseSchemaJSON([]byte(`{"columns": [
		{"name": "id", "type": "int64"},
		{"name": "volume", "type": "int64", "encryption": "ore"}],
		"primary_key": ["id"]}`))
	if err != nil {
		t.Fatal(err)
	}
	job := Job{Dataset: dataset.Path{Provider: provider, Name: "volumes"}, Version: 1, Schema: schema}
	w := &Worker{cfg: Config{Keys: fixedKeys}}
	rows := []dataset.Row{{dataset.Int64(1), dataset.Int64(500)}, {dataset.Int64(2), dataset.Int64(500)}}
	out, err := w.encrypt(&entry{job: job}, rows)
	if err != nil {
		t.Fatal(err)
	}
	a, b := out[0][1], out[1][1]
	if a.Kind != dataset.TypeBytes || len(a.Bytes) != colcrypt.ORECellSize || bytes.Equal(a.Bytes, b.Bytes) {
		t.Fatalf("ore cells: %d and %d bytes, equal %v; want %d distinct bytes", len(a.Bytes), len(b.Bytes), bytes.Equal(a.Bytes, b.Bytes), colcrypt.ORECellSize)
	}
	c, err := colcrypt.New(testKeys, job.Dataset.ID())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.DecryptValue(schema.Columns[1], a); err != nil || !v.Equal(dataset.Int64(500)) {
		t.Fatalf("decrypts to %v, %v", v, err)
	}
	left, err := c.EncryptConstant(schema.Columns[1], dataset.Int64(499))
	if err != nil {
		t.Fatal(err)
	}
	l, err := colcrypt.ParseORELeft(left.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := l.Compare(b.Bytes); err != nil || n != -1 {
		t.Fatalf("499 against the stored 500: %d, %v", n, err)
	}
}
