package dataset

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// MaxNameLength bounds dataset names and identifiers.
const MaxNameLength = 64

// Path is the permanent address of a dataset: <provider address>/<name>.
type Path struct {
	Provider common.Address
	Name     string
}

// String returns the checksummed form, e.g. 0xAbC…/coinbase_data.
func (p Path) String() string { return p.Provider.Hex() + "/" + p.Name }

// ID is the dataset's on-chain ID, keccak256(abi.encodePacked(provider,
// name)), as the Marketplace contract computes it.
func (p Path) ID() common.Hash {
	return crypto.Keccak256Hash(p.Provider.Bytes(), []byte(p.Name))
}

// ParsePath parses "<0x address>/<name>".
func ParsePath(s string) (Path, error) {
	addr, name, ok := strings.Cut(s, "/")
	if !ok {
		return Path{}, fmt.Errorf("dataset path %q: want <provider address>/<name>", s)
	}
	if !common.IsHexAddress(addr) {
		return Path{}, fmt.Errorf("dataset path %q: %q is not an Ethereum address", s, addr)
	}
	if err := ValidateName(name); err != nil {
		return Path{}, fmt.Errorf("dataset path %q: %w", s, err)
	}
	return Path{Provider: common.HexToAddress(addr), Name: name}, nil
}

// ValidateName checks a dataset name: 1..64 characters of a-z, 0-9, '_', '-'
// and '.', starting with a letter or digit. Lowercase only, so two names never
// differ by case alone.
func ValidateName(name string) error {
	if err := checkLength("dataset name", name); err != nil {
		return err
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '_' || r == '-' || r == '.') && i > 0:
		default:
			return fmt.Errorf("dataset name %q: character %q at %d is not allowed (use a-z, 0-9, _, - and ., starting with a letter or digit)", name, r, i)
		}
	}
	return nil
}

// ValidateIdentifier checks a column or index name: 1..64 characters of
// a-z, A-Z, 0-9 and '_', not starting with a digit, so it reads as an SQL
// identifier without quoting.
func ValidateIdentifier(kind, name string) error {
	if err := checkLength(kind, name); err != nil {
		return err
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return fmt.Errorf("%s %q: character %q at %d is not allowed (use letters, digits and _, not starting with a digit)", kind, name, r, i)
		}
	}
	return nil
}

func checkLength(kind, s string) error {
	if s == "" {
		return fmt.Errorf("%s is empty", kind)
	}
	if len(s) > MaxNameLength {
		return fmt.Errorf("%s %.16q… is %d bytes, the limit is %d", kind, s, len(s), MaxNameLength)
	}
	return nil
}
