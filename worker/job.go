package worker

import (
	"errors"
	"fmt"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/worker/schedule"
)

// MaxScriptSize bounds a curation script.
const MaxScriptSize = 256 << 10

// Job is one dataset's curation job as the worker runs it. The node builds
// it from the dataset's certified metadata (the ledger record); the worker
// does not depend on how that record is shaped.
type Job struct {
	Dataset dataset.Path
	// Version is the metadata version; a job with a higher version replaces
	// the running one.
	Version uint64
	Schema  dataset.Schema
	// ScriptName names the script in error positions, e.g. "curate.star".
	ScriptName string
	Script     []byte
	// Schedule is a spec schedule.Parse accepts.
	Schedule string
	// PersistenceNodes receive every batch.
	PersistenceNodes []identity.NodeID
}

// Validate checks what the worker needs before it schedules the job.
func (j *Job) Validate() error {
	if err := dataset.ValidateName(j.Dataset.Name); err != nil {
		return fmt.Errorf("job: %w", err)
	}
	if err := j.Schema.Validate(); err != nil {
		return fmt.Errorf("job %s: %w", j.Dataset, err)
	}
	if len(j.Script) == 0 {
		return fmt.Errorf("job %s: the curation script is empty", j.Dataset)
	}
	if len(j.Script) > MaxScriptSize {
		return fmt.Errorf("job %s: the curation script is %d bytes, the limit is %d", j.Dataset, len(j.Script), MaxScriptSize)
	}
	if _, err := schedule.Parse(j.Schedule); err != nil {
		return fmt.Errorf("job %s: %w", j.Dataset, err)
	}
	if len(j.PersistenceNodes) == 0 {
		return fmt.Errorf("job %s: %w", j.Dataset, errors.New("no persistence nodes to push to"))
	}
	seen := make(map[identity.NodeID]bool, len(j.PersistenceNodes))
	for _, n := range j.PersistenceNodes {
		if seen[n] {
			return fmt.Errorf("job %s: persistence node %s is listed twice", j.Dataset, n.Short())
		}
		seen[n] = true
	}
	return nil
}

func (j *Job) scriptName() string {
	if j.ScriptName != "" {
		return j.ScriptName
	}
	return "curate.star"
}
