package signing

import (
	"bytes"
	"reflect"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	enc, err := Encode(testPayload)
	if err != nil {
		t.Fatal(err)
	}
	var got sample
	if err := Decode(enc, &got, 1<<10); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, testPayload) {
		t.Fatalf("round trip: got %+v, want %+v", got, testPayload)
	}
	if err := Decode(append(bytes.Clone(enc), 0), &got, 1<<10); err == nil {
		t.Fatal("trailing byte accepted")
	}
	if err := Decode(enc, &got, len(enc)-1); err == nil {
		t.Fatal("input over the size limit accepted")
	}
}

// FuzzDecode checks that the decoder never panics and that whatever it
// accepts re-encodes to exactly the input: one value, one encoding.
func FuzzDecode(f *testing.F) {
	enc, _ := Encode(testPayload)
	f.Add(enc)
	f.Add([]byte{0xc0})
	f.Add([]byte{0xf8, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		var v sample
		if err := Decode(b, &v, 1<<16); err != nil {
			return
		}
		again, err := Encode(v)
		if err != nil {
			t.Fatalf("re-encode of accepted value failed: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("non-canonical input accepted:\n in  %x\n out %x", b, again)
		}
	})
}

// TestDecodeListSizesOnce: DecodeList decodes what Decode decodes, into a
// slice made once for its elements (no growth), and no larger than maxLen
// for a list it cannot decode.
func TestDecodeListSizesOnce(t *testing.T) {
	want := []sample{testPayload, testPayload, testPayload}
	enc, err := Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	var got []sample
	if err := DecodeList(enc, &got, 16, 1<<12); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || cap(got) != len(want)+1 {
		t.Fatalf("decoded %d values into a slice of capacity %d; want %d, equal, in the slice made for them (one place more)", len(got), cap(got), len(want))
	}
	if CountList(enc) != 3 || CountList([]byte{0x80}) != 0 || CountList([]byte{0xc3, 0x01}) != 0 {
		t.Fatal("CountList miscounts")
	}
	// 1,000 one-byte values: not samples, refused, and room for 8 at most.
	tiny := append([]byte{0xf9, 0x03, 0xe8}, bytes.Repeat([]byte{0x01}, 1000)...)
	var none []sample
	if err := DecodeList(tiny, &none, 8, 1<<12); err == nil {
		t.Fatal("a list of bytes decoded as samples")
	}
	if cap(none) > 9 {
		t.Fatalf("made room for %d values, above the limit of 8 (+1)", cap(none))
	}
	if err := DecodeList(enc, &got, 16, len(enc)-1); err == nil {
		t.Fatal("input over the size limit accepted")
	}
}
