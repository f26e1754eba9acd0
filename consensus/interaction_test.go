package consensus

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of testdata/*.txt interaction scripts")

// TestInteraction replays the scripts in testdata/*.txt, in the style of
// etcd-raft's interaction tests: each block is a command, a line "----",
// and the expected output, separated from the next block by a blank line.
//
// Commands:
//
//	init [n=4] [idle=T] [reqtimeout=T] [vctimeout=T] [trace=1]
//	                                    a fresh cluster; with trace=1 every
//	                                    command prints what each Ready sent,
//	                                    persisted, replied and executed, and
//	                                    what the network dropped
//	propose client=C ts=N [to=0,1]      a client request (to all by default)
//	deliver                             run the network until it is quiet
//	tick [n=1] [only=1,2]               tick replicas, delivering after each round
//	drop type=T [seq=N] [from=R] [to=R] drop matching messages from now on
//	isolate R / heal                    cut a replica off / undo all drops
//	crash R / restart R                 stop a replica / restart it from its log
//	trace 1 / trace 0                   start / stop printing what each Ready does
//	status                              view, phase, watermark, execution per replica
//	log                                 executed batches per replica
func TestInteraction(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no interaction scripts: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) { runScript(t, file) })
	}
}

type scriptBlock struct {
	comment, cmd, want string
}

func parseScript(t *testing.T, file string) []scriptBlock {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []scriptBlock
	var cur *scriptBlock
	var comment string
	inOutput := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "#"):
			comment += line + "\n"
		case cur == nil && strings.TrimSpace(line) == "":
		case cur == nil:
			blocks = append(blocks, scriptBlock{comment: comment, cmd: line})
			comment = ""
			cur = &blocks[len(blocks)-1]
		case !inOutput && line == "----":
			inOutput = true
		case inOutput && line == "":
			cur, inOutput = nil, false
		case inOutput:
			cur.want += line + "\n"
		default:
			t.Fatalf("%s: command %q not followed by ----", file, cur.cmd)
		}
	}
	return blocks
}

func runScript(t *testing.T, file string) {
	blocks := parseScript(t, file)
	s := &scriptState{t: t}
	var out strings.Builder
	for _, b := range blocks {
		got := s.run(b.cmd)
		if s.c != nil && s.c.trace != nil && s.c.trace.Len() > 0 {
			if got == "ok\n" {
				got = ""
			}
			got = s.c.trace.String() + got
			s.c.trace.Reset()
		}
		if !*rewrite && got != b.want {
			t.Errorf("%s: %s\n got:\n%s want:\n%s", file, b.cmd, got, b.want)
		}
		fmt.Fprintf(&out, "%s%s\n----\n%s\n", b.comment, b.cmd, got)
	}
	if *rewrite {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type dropRule struct {
	typ      MsgType
	seq      uint64
	from, to int
}

type scriptState struct {
	t     *testing.T
	c     *cluster
	drops []dropRule
}

func msgSeq(m Message) uint64 {
	switch m.Type {
	case MsgPrePrepare:
		return m.PrePrepare.Seq
	case MsgPrepare:
		return m.Prepare.Seq
	case MsgCommit:
		return m.Commit.Seq
	case MsgCheckpoint:
		return m.Checkpoint.Seq
	}
	return 0
}

func (s *scriptState) dropped(m Message) bool {
	for _, d := range s.drops {
		if (d.typ == 0 || d.typ == m.Type) && (d.seq == 0 || d.seq == msgSeq(m)) &&
			(d.from < 0 || d.from == int(m.From)) && (d.to < 0 || d.to == int(m.To)) {
			return true
		}
	}
	return false
}

func parseType(name string) MsgType {
	for t := MsgPrePrepare; t <= MsgStateResponse; t++ {
		if strings.ReplaceAll(t.String(), "-", "") == strings.ReplaceAll(name, "-", "") {
			return t
		}
	}
	return 0
}

func (s *scriptState) run(line string) string {
	fields := strings.Fields(line)
	args := map[string]string{}
	var pos []string
	for _, f := range fields[1:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			args[k] = v
		} else {
			pos = append(pos, f)
		}
	}
	num := func(k string, def int) int {
		if v, ok := args[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				s.t.Fatalf("%s: %s=%q is not a number", line, k, v)
			}
			return n
		}
		return def
	}
	list := func(k string) []int {
		var out []int
		if v, ok := args[k]; ok {
			for _, x := range strings.Split(v, ",") {
				n, _ := strconv.Atoi(x)
				out = append(out, n)
			}
		}
		return out
	}
	replica := func() int {
		if len(pos) != 1 {
			s.t.Fatalf("%s: want one replica number", line)
		}
		n, _ := strconv.Atoi(pos[0])
		return n
	}
	switch fields[0] {
	case "init":
		s.c = newCluster(s.t, num("n", 4), func(cfg *Config) {
			cfg.IdleTimeoutTicks = num("idle", 1000)
			cfg.RequestTimeoutTicks = num("reqtimeout", 5)
			cfg.ViewChangeTimeoutTicks = num("vctimeout", 5)
			cfg.HeartbeatTicks = max(1, cfg.IdleTimeoutTicks/2)
			cfg.FetchTicks = 3
		})
		s.c.drop = s.dropped
		s.drops = nil
		if num("trace", 0) == 1 {
			s.c.trace = new(strings.Builder)
		}
		return "ok\n"
	case "propose":
		r := req(args["client"], uint64(num("ts", 1)), args["client"])
		to := list("to")
		s.c.propose(r, to...)
		return "ok\n"
	case "deliver":
		return errorsOut(s.c.deliver())
	case "tick":
		only := list("only")
		var errs []error
		for k := num("n", 1); k > 0; k-- {
			for i := 0; i < s.c.n; i++ {
				if !s.c.down[i] && (len(only) == 0 || slices.Contains(only, i)) {
					s.c.reps[i].Tick()
					s.c.collect(i)
				}
			}
			errs = append(errs, s.c.deliver()...)
		}
		return errorsOut(errs)
	case "drop":
		s.drops = append(s.drops, dropRule{typ: parseType(args["type"]), seq: uint64(num("seq", 0)), from: num("from", -1), to: num("to", -1)})
		return "ok\n"
	case "isolate":
		r := replica()
		s.drops = append(s.drops, dropRule{from: r, to: -1}, dropRule{from: -1, to: r})
		return "ok\n"
	case "trace":
		if replica() == 1 {
			s.c.trace = new(strings.Builder)
		} else {
			s.c.trace = nil
		}
		return "ok\n"
	case "heal":
		s.drops = nil
		return "ok\n"
	case "crash":
		s.c.crash(replica())
		return "ok\n"
	case "restart":
		r := replica()
		s.c.restart(r)
		return s.statusLine(r)
	case "status":
		var b strings.Builder
		for i := 0; i < s.c.n; i++ {
			b.WriteString(s.statusLine(i))
		}
		return b.String()
	case "log":
		var b strings.Builder
		for i := 0; i < s.c.n; i++ {
			fmt.Fprintf(&b, "r%d:", i)
			bySeq := map[uint64]string{}
			var seqs []uint64
			for _, cb := range s.c.committed[i] {
				var reqs []string
				for _, r := range cb.Batch.Requests {
					reqs = append(reqs, fmt.Sprintf("%s/%d", r.Client, r.Timestamp))
				}
				desc := strings.Join(reqs, "+")
				if cb.Batch.IsNull() {
					desc = "null"
				}
				if _, ok := bySeq[cb.Seq]; !ok {
					seqs = append(seqs, cb.Seq)
				}
				bySeq[cb.Seq] = desc
			}
			slices.Sort(seqs)
			for _, seq := range seqs {
				fmt.Fprintf(&b, " %d:%s", seq, bySeq[seq])
			}
			b.WriteString("\n")
		}
		s.c.checkAgreement()
		return b.String()
	}
	s.t.Fatalf("unknown command %q", line)
	return ""
}

func (s *scriptState) statusLine(i int) string {
	if s.c.down[i] {
		return fmt.Sprintf("r%d: down\n", i)
	}
	st := s.c.reps[i].Status()
	return fmt.Sprintf("r%d: view %d %s low %d executed %d\n", i, st.View, s.c.reps[i].phase, st.LowWater, st.LastExecuted)
}

func errorsOut(errs []error) string {
	if len(errs) == 0 {
		return "ok\n"
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, "error: "+e.Error())
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	return strings.Join(lines, "\n") + "\n"
}
