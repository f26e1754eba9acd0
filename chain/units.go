package chain

import (
	"fmt"
	"math/big"
	"strings"
)

// TokenDecimals is the ENG token's number of decimals (as the real ENG token).
const TokenDecimals = 8

var tokenUnit = new(big.Int).Exp(big.NewInt(10), big.NewInt(TokenDecimals), nil)

// ENG returns n whole tokens in base units.
func ENG(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), tokenUnit) }

// ParseENG parses a token amount such as "12", "0.5" or "1.00000001" into base
// units; more than TokenDecimals fractional digits is an error.
func ParseENG(s string) (*big.Int, error) {
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" && !hasFrac || whole == "" && frac == "" {
		return nil, fmt.Errorf("amount %q: want a number of ENG such as 10 or 0.5", s)
	}
	if len(frac) > TokenDecimals {
		return nil, fmt.Errorf("amount %q: ENG has %d decimals at most", s, TokenDecimals)
	}
	digits := whole + frac + strings.Repeat("0", TokenDecimals-len(frac))
	for _, r := range digits {
		if r < '0' || r > '9' {
			return nil, fmt.Errorf("amount %q: want a non-negative decimal number of ENG such as 10 or 0.5", s)
		}
	}
	v, _ := new(big.Int).SetString(digits, 10)
	return v, nil
}

// FormatENG renders base units as ENG, without trailing fractional zeros.
func FormatENG(v *big.Int) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(v), tokenUnit, new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		f := fmt.Sprintf("%0*s", TokenDecimals, r.String())
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}
