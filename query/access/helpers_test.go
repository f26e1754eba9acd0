package access

import "github.com/enigma-mpc/enigma/signing"

func decodeSigned(b []byte, sr *SignedRequest) error { return signing.Decode(b, sr, MaxRequestSize) }

func encodeSigned(sr *SignedRequest) ([]byte, error) { return signing.Encode(sr) }

func decodeResponse(b []byte, r *Response) error { return signing.Decode(b, r, MaxResponseSize) }
