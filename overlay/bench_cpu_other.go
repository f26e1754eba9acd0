//go:build !unix

package overlay

import (
	"runtime"
	"time"
)

// processCPU is unknown here: CPU figures read 0.
func processCPU() time.Duration { return 0 }

func goMaxProcs() int { return runtime.GOMAXPROCS(0) }
