package procstat

import (
	"crypto/sha256"
	"runtime"
	"strings"
	"testing"
)

func TestProcessGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no rusage here")
	}
	before := CPU()
	sum := sha256.Sum256(nil)
	for range 200_000 { // tens of milliseconds of CPU
		sum = sha256.Sum256(sum[:])
	}
	if after := CPU(); after <= before {
		t.Fatalf("CPU time %s after hashing, %s before", after, before)
	}
}

func TestLoadAvgHasThreeFields(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/loadavg is Linux's")
	}
	if f := strings.Fields(LoadAvg()); len(f) != 3 {
		t.Fatalf("load average %q, want three fields", LoadAvg())
	}
}
