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

func TestPeakRSSCountsTouchedMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ru_maxrss is in KiB on Linux only")
	}
	const size = 64 << 20
	buf := make([]byte, size)
	for i := 0; i < size; i += 4096 {
		buf[i] = 1 // resident only once touched
	}
	if got := PeakRSS(); got < size {
		t.Fatalf("peak RSS %d bytes after touching %d", got, size)
	}
	runtime.KeepAlive(buf)
}

func TestThreadCPUCountsThisThreadOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU clocks are read on Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	hash := func() {
		sum := sha256.Sum256(nil)
		for range 200_000 { // tens of milliseconds of CPU
			sum = sha256.Sum256(sum[:])
		}
	}
	before := ThreadCPU()
	hash()
	mine := ThreadCPU() - before
	if mine <= 0 {
		t.Fatalf("thread CPU grew by %s while this thread hashed", mine)
	}
	// Another goroutine, on another thread, hashes as much while this one
	// waits: the process's CPU grows by about as much, this thread's
	// hardly.
	done := make(chan struct{})
	before, process := ThreadCPU(), CPU()
	go func() { hash(); close(done) }()
	<-done
	waited, processGrew := ThreadCPU()-before, CPU()-process
	if waited > processGrew/2 {
		t.Fatalf("thread CPU grew by %s while another thread hashed (the process's by %s)", waited, processGrew)
	}
}
