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
