//go:build !unix

package procstat

import "time"

// CPU is unknown here: it reports 0.
func CPU() time.Duration { return 0 }

// PeakRSS is unknown here: it reports 0.
func PeakRSS() int64 { return 0 }
