package testbed

import (
	"strings"
	"testing"
	"time"
)

const twoRegions = `
[[region]]
name = "eu"
[[region]]
name = "au"
[[link]]
between = ["eu", "au"]
rtt = "150ms"
jitter = "2ms"
loss_percent = 1
[[node]]
name = "v0"
region = "au"
role = "validator"
[[node]]
name = "c"
region = "eu"
role = "client"
[[perturbation]]
cut = "au"
at = "10s"
heal = "20s"
`

func TestParseManifestReadsLinksNodesAndCuts(t *testing.T) {
	m, err := ParseManifest([]byte(twoRegions))
	if err != nil {
		t.Fatal(err)
	}
	l := m.link("au", "eu")
	if l == nil || l.RTT.Duration != 150*time.Millisecond || l.Jitter.Duration != 2*time.Millisecond || l.LossPercent != 1 {
		t.Fatalf("link au–eu %+v", l)
	}
	if same := m.link("eu", "eu"); same == nil || same.RTT.Duration != 0 {
		t.Fatalf("a region's own link defaults to an ideal one, got %+v", same)
	}
	if v := m.NodesWithRole(RoleValidator); len(v) != 1 || v[0].Name != "v0" || v[0].Region != "au" {
		t.Fatalf("validators %+v", v)
	}
	if p := m.Perturbations; len(p) != 1 || p[0].Cut != "au" || p[0].At.Duration != 10*time.Second || p[0].Heal.Duration != 20*time.Second {
		t.Fatalf("perturbations %+v", p)
	}
}

func TestParseManifestRefusesWhatItCannotRun(t *testing.T) {
	for _, c := range []struct{ name, edit, old, want string }{
		{"missing link", `between = ["eu", "au"]`, `between = ["eu", "eu"]`, `no link between regions`},
		{"unknown region", `region = "au"`, `region = "mars"`, `unknown region "mars"`},
		{"bad node name", `name = "v0"`, `name = "V 0"`, `names are 1–8`},
		{"unknown role", `role = "client"`, `role = "oracle"`, `role "oracle"`},
		{"heal before cut", `heal = "20s"`, `heal = "5s"`, `heal must come after it`},
		{"loss over 100", `loss_percent = 1`, `loss_percent = 101`, `not in [0, 100]`},
		{"bad duration", `rtt = "150ms"`, `rtt = "150"`, `write it like`},
		{"unknown key", `jitter = "2ms"`, `jiter = "2ms"`, `unknown key`},
		{"pause of unknown node", `cut = "au"`, `pause = "v9"`, `pause of unknown node "v9"`},
		{"cut and pause at once", `cut = "au"`, "cut = \"au\"\npause = \"v0\"", `give one of cut`},
		{"kill of unknown node", `cut = "au"`, `kill = "v9"`, `kill of unknown node "v9"`},
		{"throttle without a rate", `cut = "au"`, `throttle = ["eu", "au"]`, `rate_kbit 0 is not in [1,`},
		{"throttle of unknown region", `cut = "au"`, "throttle = [\"eu\", \"mars\"]\nrate_kbit = 100", `unknown region`},
		{"rate without throttle", `cut = "au"`, "cut = \"au\"\nrate_kbit = 100", `rate_kbit goes with throttle`},
		{"reverse loss over 100", `loss_percent = 1`, "loss_percent = 1\nreverse_loss_percent = 120", `reverse_loss_percent 120`},
		{"negative rate", `loss_percent = 1`, "loss_percent = 1\nrate_kbit = -1", `rate_kbit -1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(strings.Replace(twoRegions, c.edit, c.old, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
