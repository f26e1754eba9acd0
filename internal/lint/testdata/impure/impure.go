// Package impure is a lint fixture: every line below breaks a purity rule.
package impure

import (
	"math/rand/v2"
	"net/netip"
	"os"
	"strings"
	"time"
)

// Tick does everything a core must not.
func Tick() {
	go func() {}()
	_ = time.Now()
	_ = rand.IntN(3)
	_, _ = netip.ParseAddr("127.0.0.1")
	_ = os.Getpid()
	_ = strings.ToUpper("ok")
}
