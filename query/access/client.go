package access

import (
	"errors"
	"fmt"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query"
	"github.com/enigma-mpc/enigma/query/colcrypt"
	"github.com/enigma-mpc/enigma/query/seal"
	"github.com/enigma-mpc/enigma/signing"
)

// DeniedError is a node's refusal, as the client sees it. Record is the
// node's certified record of the version it serves (ReasonVersion only;
// unverified).
type DeniedError struct {
	Reason  Reason
	Message string
	Record  []byte
}

func (e *DeniedError) Error() string {
	return fmt.Sprintf("query denied (%s): %s", e.Reason, e.Message)
}

// ErrWrongResponse means a response does not answer the request it was
// read for.
var ErrWrongResponse = errors.New("response does not answer this request")

// OpenResponse checks that respBytes answers req and opens the sealed
// result with the reply key. A denial is returned as *DeniedError.
func OpenResponse(chainID uint64, req *Request, replyKey *seal.PrivateKey, respBytes []byte) (*query.Result, *Payload, error) {
	var resp Response
	if err := signing.Decode(respBytes, &resp, MaxResponseSize); err != nil {
		return nil, nil, fmt.Errorf("query response: %w", err)
	}
	h, err := req.Hash(chainID)
	if err != nil {
		return nil, nil, err
	}
	if resp.Status != StatusOK {
		// Denials for undecodable requests carry no hash; others must match.
		if resp.RequestHash != h && resp.Reason != ReasonMalformed {
			return nil, nil, fmt.Errorf("%w: it is for request %s", ErrWrongResponse, resp.RequestHash.Hex())
		}
		return nil, nil, &DeniedError{Reason: resp.Reason, Message: resp.Message, Record: resp.Record}
	}
	if resp.RequestHash != h {
		return nil, nil, fmt.Errorf("%w: it is for request %s", ErrWrongResponse, resp.RequestHash.Hex())
	}
	plain, err := seal.Open(replyKey, resultInfo, h[:], resp.Sealed)
	if err != nil {
		return nil, nil, fmt.Errorf("open query result: %w", err)
	}
	res, p, err := decodePayload(plain)
	if err != nil {
		return nil, nil, fmt.Errorf("query result: %w", err)
	}
	return res, p, nil
}

// EncryptQuery rewrites the constants that are compared with encrypted
// columns into their ciphertexts (X'…'), so the node can match them without
// seeing the plaintext; see query.EncryptQuery.
func EncryptQuery(q string, schema *dataset.Schema, c *colcrypt.Cipher) (string, error) {
	return query.EncryptQuery(q, schema, c)
}

// NewQueryEncrypter returns a QueryEncrypter for the queries a client
// sends to one dataset: EncryptQuery, with the dataset's table built once
// and each query shape's rewrite remembered; see query.QueryEncrypter.
func NewQueryEncrypter(schema *dataset.Schema, c *colcrypt.Cipher) (*query.QueryEncrypter, error) {
	return query.NewQueryEncrypter(schema, c)
}

// DecryptResult decrypts the cells of encrypted output columns in place;
// see query.DecryptResult.
func DecryptResult(res *query.Result, schema *dataset.Schema, c *colcrypt.Cipher) error {
	return query.DecryptResult(res, schema, c)
}

// EncryptQueryDatasets rewrites the constants of a query that joins
// several datasets, each compared constant under the keys of the dataset
// whose column it meets; see query.EncryptQueryDatasets. List the datasets
// after the first in Request.Joins.
func EncryptQueryDatasets(q string, ds []query.ClientDataset) (string, error) {
	return query.EncryptQueryDatasets(q, ds)
}

// DecryptResultDatasets decrypts the encrypted output columns of a query
// that joined the datasets ds, each with its dataset's keys.
func DecryptResultDatasets(res *query.Result, ds []query.ClientDataset) error {
	return query.DecryptResultDatasets(res, ds)
}
