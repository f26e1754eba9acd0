//go:build !unix

package procstat

import "time"

// CPU is unknown here: it reports 0.
func CPU() time.Duration { return 0 }
