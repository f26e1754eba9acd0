//go:build unix

package overlay

import (
	"runtime"
	"syscall"
	"time"
)

// processCPU is the user + system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func goMaxProcs() int { return runtime.GOMAXPROCS(0) }
