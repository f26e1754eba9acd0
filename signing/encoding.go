package signing

import (
	"fmt"
	"io"

	"github.com/ethereum/go-ethereum/rlp"
)

// Encode returns the canonical encoding of v.
func Encode(v any) ([]byte, error) { return rlp.EncodeToBytes(v) }

// EncodeTo writes the canonical encoding of v to w: into a buffer kept for
// reuse, it allocates nothing once the buffer has grown.
func EncodeTo(w io.Writer, v any) error { return rlp.Encode(w, v) }

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

// DecodeList decodes the canonical encoding of a list into *v like Decode,
// with room made first for its elements, at most maxLen of them: the RLP
// decoder grows a slice by half at a time and copies it each time, so a
// list of n values costs about three slices of n; counting them is a scan
// of their headers. maxLen (+1) bounds what a hostile list of tiny values can
// make the count allocate before its first element fails to decode.
func DecodeList[T any](b []byte, v *[]T, maxLen, maxSize int) error {
	if len(b) <= maxSize {
		if n := CountList(b); n > 0 {
			// One place more: the decoder makes room for the next
			// element before it finds the end of the list.
			*v = make([]T, 0, min(n, maxLen)+1)
		}
	}
	return Decode(b, v, maxSize)
}

// CountList returns how many values the RLP list b holds, or 0 if b is not
// a well-formed list.
func CountList(b []byte) int {
	content, _, err := rlp.SplitList(b)
	if err != nil {
		return 0
	}
	n, err := rlp.CountValues(content)
	if err != nil {
		return 0
	}
	return n
}
