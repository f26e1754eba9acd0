// Package reach is a lint fixture: it imports nothing forbidden itself, but
// worker/schedule, which is not a core, brings the cron library (and the
// time package) into whatever imports it.
package reach

import "github.com/enigma-mpc/enigma/worker/schedule"

// Valid is what a core would decide by a third party's parser.
func Valid(spec string) bool {
	_, err := schedule.Parse(spec)
	return err == nil
}
