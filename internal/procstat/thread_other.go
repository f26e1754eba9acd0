//go:build !linux

package procstat

import "time"

// ThreadCPU is unknown here: it reports 0.
func ThreadCPU() time.Duration { return 0 }
