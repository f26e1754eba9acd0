package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"path/filepath"
	"testing"

	"github.com/enigma-mpc/enigma/internal/randsrc"
)

type randReader struct{ r *randsrc.Rand }

func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}

func TestSealOpenRoundTrip(t *testing.T) {
	k, err := GenerateKey(randReader{randsrc.New(1)})
	if err != nil {
		t.Fatal(err)
	}
	info, aad, msg := []byte("test/v1"), []byte("request hash"), []byte("the rows")
	box, err := Seal(rand.Reader, k.PublicKey(), info, aad, msg)
	if err != nil {
		t.Fatal(err)
	}
	if len(box) != len(msg)+Overhead {
		t.Fatalf("box is %d bytes, want %d", len(box), len(msg)+Overhead)
	}
	got, err := Open(k, info, aad, box)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := GenerateKey(rand.Reader)
	tampered := bytes.Clone(box)
	tampered[len(tampered)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"wrong key":  func() ([]byte, error) { return Open(other, info, aad, box) },
		"wrong aad":  func() ([]byte, error) { return Open(k, info, []byte("other"), box) },
		"wrong info": func() ([]byte, error) { return Open(k, []byte("other/v1"), aad, box) },
		"tampered":   func() ([]byte, error) { return Open(k, info, aad, tampered) },
		"short":      func() ([]byte, error) { return Open(k, info, aad, box[:10]) },
	} {
		if _, err := try(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: got %v, want ErrOpen", name, err)
		}
	}
	if _, err := Seal(rand.Reader, []byte{1, 2}, info, aad, msg); err == nil {
		t.Error("short public key accepted")
	}
}

func TestKeyFileRoundTrip(t *testing.T) {
	k, _ := GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "hpke.key")
	if err := SaveKey(path, k); err != nil {
		t.Fatal(err)
	}
	if err := SaveKey(path, k); err == nil {
		t.Fatal("SaveKey overwrote an existing key")
	}
	back, err := LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.PublicKey(), k.PublicKey()) {
		t.Fatal("reloaded key has a different public key")
	}
}
