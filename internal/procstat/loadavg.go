package procstat

import (
	"os"
	"strings"
)

// LoadAvg is the host's load average over 1, 5 and 15 minutes as
// /proc/loadavg gives it ("0.52 0.61 0.70"), or "" where there is none.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
