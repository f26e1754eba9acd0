package dataset

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

const exampleSchema = `{"columns": [
  {"name": "day", "type": "timestamp"},
  {"name": "asset", "type": "string", "encryption": "det"},
  {"name": "close", "type": "float64", "encryption": "ope"},
  {"name": "note", "type": "string", "nullable": true}],
 "primary_key": ["day", "asset"],
 "indexes": [{"name": "by_close", "columns": ["close"]}]}`

func TestParseSchemaJSONRoundTrip(t *testing.T) {
	s, err := ParseSchemaJSON([]byte(exampleSchema))
	if err != nil {
		t.Fatal(err)
	}
	if s.Columns[2].Encryption != EncOrderPreserving || s.Columns[1].Encryption != EncDeterministic {
		t.Fatalf("encryption not parsed: %+v", s.Columns)
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseSchemaJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, again) {
		t.Fatalf("JSON round trip changed the schema:\n%+v\n%+v", s, again)
	}
	enc, err := rlp.EncodeToBytes(&s)
	if err != nil {
		t.Fatal(err)
	}
	var decoded Schema
	if err := rlp.DecodeBytes(enc, &decoded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, decoded) {
		t.Fatal("RLP round trip changed the schema")
	}
}

func TestSchemaValidateRejects(t *testing.T) {
	cases := map[string]string{
		"no columns":         `{"columns": [], "primary_key": ["a"]}`,
		"unknown type":       `{"columns": [{"name": "a", "type": "decimal"}], "primary_key": ["a"]}`,
		"dup column":         `{"columns": [{"name": "a", "type": "int64"}, {"name": "a", "type": "int64"}], "primary_key": ["a"]}`,
		"no pk":              `{"columns": [{"name": "a", "type": "int64"}], "primary_key": []}`,
		"pk unknown":         `{"columns": [{"name": "a", "type": "int64"}], "primary_key": ["b"]}`,
		"pk nullable":        `{"columns": [{"name": "a", "type": "int64", "nullable": true}], "primary_key": ["a"]}`,
		"ope on string":      `{"columns": [{"name": "a", "type": "string", "encryption": "ope"}], "primary_key": ["a"]}`,
		"bad identifier":     `{"columns": [{"name": "1a", "type": "int64"}], "primary_key": ["1a"]}`,
		"index unknown":      `{"columns": [{"name": "a", "type": "int64"}], "primary_key": ["a"], "indexes": [{"name": "i", "columns": ["z"]}]}`,
		"unknown field":      `{"columns": [{"name": "a", "type": "int64", "colour": "red"}], "primary_key": ["a"]}`,
		"unknown encryption": `{"columns": [{"name": "a", "type": "int64", "encryption": "rot13"}], "primary_key": ["a"]}`,
		"not json":           `{`,
	}
	for name, in := range cases {
		if _, err := ParseSchemaJSON([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPathParseAndID(t *testing.T) {
	addr := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	p, err := ParsePath(strings.ToLower(addr.Hex()) + "/coinbase_data")
	if err != nil {
		t.Fatal(err)
	}
	if p.Provider != addr || p.Name != "coinbase_data" {
		t.Fatalf("parsed %+v", p)
	}
	want := crypto.Keccak256Hash(append(addr.Bytes(), "coinbase_data"...))
	if p.ID() != want {
		t.Fatal("ID is not keccak256(abi.encodePacked(provider, name))")
	}
	for _, bad := range []string{"coinbase", "0x12/x", addr.Hex() + "/", addr.Hex() + "/Upper", addr.Hex() + "/_x", addr.Hex() + "/" + strings.Repeat("a", 65), addr.Hex() + "/a/b"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func TestOrderRevealingColumns(t *testing.T) {
	s, err := ParseSchemaJSON([]byte(`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "int64", "encryption": "ore"}, {"name": "t", "type": "timestamp", "encryption": "order-revealing"}, {"name": "price", "type": "float64", "encryption": "ore"}], "primary_key": ["k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Columns[1:] {
		if c.Encryption != EncOrderRevealing || c.Encryption.String() != "ore" {
			t.Fatalf("parsed %v", s.Columns)
		}
	}
	for js, want := range map[string]string{
		`{"columns": [{"name": "k", "type": "int64"}, {"name": "b", "type": "bool", "encryption": "ore"}], "primary_key": ["k"]}`:                                                   "needs an int64, float64 or timestamp column, not bool",
		`{"columns": [{"name": "k", "type": "int64"}, {"name": "s", "type": "string", "encryption": "ore"}], "primary_key": ["k"]}`:                                                 "needs an int64, float64 or timestamp column, not string",
		`{"columns": [{"name": "k", "type": "int64", "encryption": "ore"}], "primary_key": ["k"]}`:                                                                                  "primary key names column \"k\", which has order-revealing encryption",
		`{"columns": [{"name": "k", "type": "int64"}, {"name": "v", "type": "int64", "encryption": "ore"}], "primary_key": ["k"], "indexes": [{"name": "by_v", "columns": ["v"]}]}`: "cannot be part of a key or an index",
	} {
		if _, err := ParseSchemaJSON([]byte(js)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", js, err, want)
		}
	}
}
