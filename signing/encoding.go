package signing

import (
	"fmt"

	"github.com/ethereum/go-ethereum/rlp"
)

// Encode returns the canonical encoding of v.
func Encode(v any) ([]byte, error) { return rlp.EncodeToBytes(v) }

// Decode decodes the canonical encoding of a value into v. It refuses input
// longer than maxSize before looking at it, and input with trailing bytes.
// Use it for every byte string that came from outside the process.
func Decode(b []byte, v any, maxSize int) error {
	if len(b) > maxSize {
		return fmt.Errorf("decode %T: %d bytes exceeds the limit of %d", v, len(b), maxSize)
	}
	if err := rlp.DecodeBytes(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}
