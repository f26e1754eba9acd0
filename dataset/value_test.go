package dataset

import (
	"errors"
	"testing"
	"time"
)

func TestCheckRow(t *testing.T) {
	s, err := ParseSchemaJSON([]byte(exampleSchema))
	if err != nil {
		t.Fatal(err)
	}
	day := Timestamp(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	good := Row{day, String("BTC"), Float64(101.5), Null}
	if err := s.CheckRow(0, good); err != nil {
		t.Fatalf("good row rejected: %v", err)
	}
	stored := Row{day, Bytes([]byte{1}), Bytes(make([]byte, OrderPreservingCellBytes)), String("x")}
	if err := s.CheckStoredRow(0, stored); err != nil {
		t.Fatalf("encrypted row rejected: %v", err)
	}
	// An order-preserving cell of another length (the 12-byte cells of
	// workers before the seal) would compare wrongly with today's constants.
	for _, n := range []int{0, 12, OrderPreservingCellBytes + 1} {
		var re *RowError
		old := Row{day, Bytes([]byte{1}), Bytes(make([]byte, n)), String("x")}
		if err := s.CheckStoredRow(4, old); !errors.As(err, &re) || re.Column != "close" {
			t.Errorf("a %d-byte order-preserving cell: got %v", n, err)
		}
	}
	if err := s.CheckRow(0, stored); err == nil {
		t.Fatal("ciphertext accepted as a plaintext row")
	}
	cases := map[string]Row{
		"asset": {day, Null, Float64(1), Null},
		"close": {day, String("BTC"), Int64(1), Null},
		"*":     {day},
	}
	for col, row := range cases {
		var re *RowError
		if err := s.CheckRow(3, row); !errors.As(err, &re) || re.Column != col || re.Row != 3 {
			t.Errorf("row breaking %s: got %v", col, err)
		}
	}
}

func TestValueString(t *testing.T) {
	for want, v := range map[string]Value{
		"NULL": Null, "42": Int64(42), "true": Bool(true), "0x0102": Bytes([]byte{1, 2}),
		"2026-01-02T00:00:00Z": Timestamp(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)),
	} {
		if got := v.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	if !Float64(1.5).Equal(Float64(1.5)) || Int64(1).Equal(Bool(true)) {
		t.Fatal("Equal is wrong")
	}
}
