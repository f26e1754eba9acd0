package consensus

import (
	"fmt"
	"slices"
	"strings"
)

// The interaction scripts' trace (init trace=1): every message a replica's
// Ready sends, grouped by body, every message the network drops, and what
// each Ready persists, replies and executes, in the order the Driver hands
// them to the shell.

func (c *cluster) tracef(format string, args ...any) {
	if c.trace != nil {
		fmt.Fprintf(c.trace, format+"\n", args...)
	}
}

// traceSend prints one line per distinct body a replica sent, with its
// destinations.
func (c *cluster) traceSend(from int, msgs []Message) {
	if c.trace == nil {
		return
	}
	var order []string
	to := map[string][]string{}
	for _, m := range msgs {
		d := describeMessage(m)
		if _, ok := to[d]; !ok {
			order = append(order, d)
		}
		to[d] = append(to[d], fmt.Sprintf("r%d", m.To))
	}
	for _, d := range order {
		c.tracef("r%d → %s: %s", from, strings.Join(to[d], ","), d)
	}
}

func describeMessage(m Message) string {
	switch m.Type {
	case MsgPrePrepare:
		return fmt.Sprintf("pre-prepare v%d s%d %s", m.PrePrepare.View, m.PrePrepare.Seq, describeBatch(&m.PrePrepare.Batch))
	case MsgPrepare:
		return fmt.Sprintf("prepare v%d s%d %s", m.Prepare.View, m.Prepare.Seq, m.Prepare.BatchDigest.Short())
	case MsgCommit:
		return fmt.Sprintf("commit v%d s%d %s", m.Commit.View, m.Commit.Seq, m.Commit.BatchDigest.Short())
	case MsgCheckpoint:
		return fmt.Sprintf("checkpoint s%d state %s", m.Checkpoint.Seq, m.Checkpoint.StateDigest.Short())
	case MsgViewChange:
		vc := m.ViewChange
		var prepared []string
		for _, pc := range vc.Prepared {
			prepared = append(prepared, fmt.Sprintf("s%d@v%d", pc.PrePrepare.Seq, pc.PrePrepare.View))
		}
		return fmt.Sprintf("view-change v%d stable s%d prepared [%s]", vc.View, vc.StableSeq, strings.Join(prepared, " "))
	case MsgNewView:
		var pps []string
		for _, pp := range m.NewView.PrePrepares {
			pps = append(pps, fmt.Sprintf("s%d:%s", pp.Seq, describeBatch(&pp.Batch)))
		}
		return fmt.Sprintf("new-view v%d from %d view changes, re-proposes [%s]", m.NewView.View, len(m.NewView.ViewChanges), strings.Join(pps, " "))
	case MsgHeartbeat:
		return fmt.Sprintf("heartbeat v%d s%d", m.Heartbeat.View, m.Heartbeat.Seq)
	case MsgStateRequest:
		return fmt.Sprintf("state-request have s%d", m.StateRequest.HaveSeq)
	case MsgStateResponse:
		stable := "none"
		if m.StateResponse.Stable != nil {
			stable = fmt.Sprintf("s%d", m.StateResponse.Stable.Seq)
		}
		return fmt.Sprintf("state-response stable %s, %d commit certificates", stable, len(m.StateResponse.Committed))
	}
	return m.Type.String()
}

func describeBatch(b *Batch) string {
	if b.IsNull() {
		return "null"
	}
	var reqs []string
	for _, r := range b.Requests {
		reqs = append(reqs, fmt.Sprintf("%s/%d", r.Client, r.Timestamp))
	}
	return "[" + strings.Join(reqs, " ") + "]"
}

func describeUpdate(u *Update) string {
	var parts []string
	if hs := u.HardState; hs != nil {
		phase := "normal"
		if hs.InViewChange {
			phase = "view-change"
		}
		parts = append(parts, fmt.Sprintf("view %d %s", hs.View, phase))
	}
	if u.ViewChange != nil {
		parts = append(parts, fmt.Sprintf("own vote v%d", u.ViewChange.View))
	}
	if len(u.Entries) > 0 {
		var es []string
		for _, e := range u.Entries {
			var what []string
			if e.PrePrepare != nil {
				what = append(what, "pp")
			}
			if e.SentPrepare {
				what = append(what, "prepare")
			}
			if e.SentCommit {
				what = append(what, "commit")
			}
			if e.Cert != nil {
				what = append(what, "prepared")
			}
			if e.Committed != nil {
				what = append(what, "committed")
			}
			es = append(es, fmt.Sprintf("s%d(%s)", e.Seq, strings.Join(what, ",")))
		}
		slices.Sort(es)
		parts = append(parts, "entries "+strings.Join(es, " "))
	}
	if u.Stable != nil {
		parts = append(parts, fmt.Sprintf("stable s%d", u.Stable.Seq))
	}
	if u.TruncateThrough > 0 {
		parts = append(parts, fmt.Sprintf("truncate ≤ s%d", u.TruncateThrough))
	}
	return strings.Join(parts, "; ")
}
